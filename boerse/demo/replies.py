"""The demo town's replies to the participants ("Sie haben gesagt – wir haben gehandelt").

Three published replies, each planned when published and in progress since: one on the
dementia-friendly walk audit, one on the opportunity of another organisation with the most
answers, one on the goal for young people's job chances (written by an officer whose
organisation serves it). They are written as history (publication and status change in the
past), so no mail is queued. Runs after the goals are loaded."""

from __future__ import annotations

import datetime as dt

from boerse.accounts.tables import Role, User
from boerse.goals.tables import OpportunityGoal
from boerse.lib.db import write_transaction
from boerse.opportunities.tables import Opportunity
from boerse.questionnaires.tables import Response
from boerse.replies.tables import Reply, ReplyStatus, ReplyUpdate

WALK_AUDIT_OFFER = "Demenzfreundlicher Stadtteil: Begehung mit Checkliste"
WALK_AUDIT_REPLY = (
    "Mehr Bänke und klarere Wegweiser rund um den Markt",
    "Bei der Begehung fehlten Sitzplätze zwischen Haltestelle und Markt, und mehrere "
    "Wegweiser waren zu klein oder zu hoch angebracht.",
    "Das Tiefbauamt stellt sechs Bänke mit Armlehnen auf und ersetzt die Wegweiser an "
    "der Marktstraße durch große, kontrastreiche Schilder in Augenhöhe.",
)
OTHER_REPLY = (
    "Was wir aus Ihren Rückmeldungen gelernt haben",
    "Viele von Ihnen fanden die Organisation gut, wünschten sich aber früher genaue "
    "Informationen zu Treffpunkt und Ablauf.",
    "Ab jetzt schicken wir eine Woche vor jedem Termin eine Wegbeschreibung und einen "
    "Ablaufplan mit der Erinnerung.",
)
GOAL_TITLE = "Verbesserung der Berufschancen Jugendlicher"
GOAL_REPLY = (
    "Mehr Praxis, mehr Kontakte zu Betrieben",
    "Die Jugendlichen in unseren Angeboten sagen, dass sie viel gelernt haben, aber zu "
    "wenige Betriebe kennen, und dass Bewerbungsgespräche ihnen am meisten Sorgen machen.",
    "Ab dem nächsten Halbjahr laden wir jeden Monat einen Ausbildungsbetrieb ein und üben "
    "Bewerbungsgespräche mit Ehrenamtlichen aus der Wirtschaft.",
)


async def demo_replies(now: dt.datetime) -> None:
    targets = [
        (await _walk_audit(), WALK_AUDIT_REPLY),
        (await _most_answered(), OTHER_REPLY),
        (await _goal(), GOAL_REPLY),
    ]
    async with write_transaction():
        for target, texts in targets:
            if target is not None:
                await _reply(target, texts, now)


async def _walk_audit() -> dict | None:
    """The target's columns of the reply row (`opportunity` or `goal`), and `organisation`
    (whose officer wrote it)."""
    return (
        await Opportunity.select(Opportunity.id.as_alias("opportunity"), Opportunity.organisation)
        .where(Opportunity.title == WALK_AUDIT_OFFER)
        .first()
    )


async def _goal() -> dict | None:
    """The main goal, replied to by the organisation of the first opportunity linked to
    one of its sub-goals."""
    return (
        await OpportunityGoal.select(
            OpportunityGoal.goal.parent.as_alias("goal"),
            OpportunityGoal.opportunity.organisation.as_alias("organisation"),
        )
        .where(OpportunityGoal.goal.parent.title == GOAL_TITLE)
        .order_by(OpportunityGoal.id)
        .first()
    )


async def _most_answered() -> dict | None:
    """The opportunity with the most answers that is not the walk audit."""
    counts: dict[int, int] = {}
    for row in await Response.select(Response.opportunity).where(
        Response.opportunity.is_not_null()
    ):
        counts[row["opportunity"]] = counts.get(row["opportunity"], 0) + 1
    walk = await _walk_audit()
    ranked = sorted(
        (o for o in counts if walk is None or o != walk["opportunity"]), key=lambda o: -counts[o]
    )
    if not ranked:
        return None
    return (
        await Opportunity.select(Opportunity.id.as_alias("opportunity"), Opportunity.organisation)
        .where(Opportunity.id == ranked[0])
        .first()
    )


async def _reply(target: dict, texts: tuple[str, str, str], now: dt.datetime) -> None:
    officer = (
        await User.select(User.id)
        .where(User.organisation == target["organisation"], User.role == Role.OFFICER.value)
        .first()
    )
    published_at = now - dt.timedelta(days=21)
    changed_at = now - dt.timedelta(days=5)
    title, learned, changes = texts
    reply = Reply(
        opportunity=target.get("opportunity"),
        goal=target.get("goal"),
        title=title,
        learned=learned,
        changes=changes,
        status=ReplyStatus.IN_PROGRESS.value,
        status_date=changed_at.date(),
        published=True,
        published_at=published_at,
        created_by=officer["id"] if officer else None,
        created_at=published_at - dt.timedelta(days=2),
        updated_at=changed_at,
    )
    await reply.save()
    await ReplyUpdate.insert(
        ReplyUpdate(
            reply=reply.id,
            status=ReplyStatus.PLANNED.value,
            status_date=published_at.date(),
            created_at=published_at,
        ),
        ReplyUpdate(
            reply=reply.id,
            status=ReplyStatus.IN_PROGRESS.value,
            status_date=changed_at.date(),
            created_at=changed_at,
        ),
    )
