"""The demo town's messages to participants and the daily sign-up summary.

The first demo officer sent a message to everyone signed up for the dates ahead of one of
her organisation's offers two days ago (written as history, so no mail is queued), and has
the daily sign-up summary switched on, so the worker's morning run shows it in the dev
mail folder. Runs after the offers and sign-ups are loaded."""

from __future__ import annotations

import datetime as dt

from boerse.accounts.tables import User
from boerse.lib.db import write_transaction
from boerse.messages.services import audience_of
from boerse.messages.tables import Audience, Message
from boerse.opportunities.tables import (
    HOLDING_STATUSES,
    Opportunity,
    OpportunityStatus,
    SignUp,
)

SUBJECT = "Treffpunkt und was Sie mitbringen sollten"
BODY = (
    "Liebe Teilnehmende,\n\n"
    "vielen Dank für Ihre Anmeldung! Wir treffen uns jeweils zehn Minuten vor Beginn am "
    "Haupteingang. Bitte bringen Sie wetterfeste Kleidung und etwas zu trinken mit.\n\n"
    "Wenn Sie Fragen haben, antworten Sie nicht auf diese E-Mail, sondern rufen Sie mich "
    "gern an.\n\nViele Grüße"
)


async def demo_messages(now: dt.datetime, officer_email: str) -> None:
    officer = (
        await User.select(User.id, User.display_name, User.organisation)
        .where(User.email == officer_email)
        .first()
    )
    if officer is None:
        return
    opportunity_id = await _offer_with_places_ahead(officer["organisation"], now)
    async with write_transaction():
        await User.update({User.signup_summary_ok: True}).where(User.id == officer["id"])
        if opportunity_id is None:
            return
        audience = await audience_of(opportunity_id, Audience.UPCOMING.value, None, now)
        await Message(
            opportunity=opportunity_id,
            sender=officer["id"],
            sender_name=officer["display_name"],
            audience=Audience.UPCOMING.value,
            subject=SUBJECT,
            body=BODY,
            recipient_count=len(audience.recipients),
            skipped_count=audience.skipped,
            send_key="demo-message-0000001",
            sent_at=now - dt.timedelta(days=2),
        ).save()


async def _offer_with_places_ahead(organisation_id: int | None, now: dt.datetime) -> int | None:
    """The organisation's published offer with the most places taken on dates ahead."""
    if organisation_id is None:
        return None
    rows = await SignUp.select(SignUp.session.opportunity.as_alias("opportunity_id")).where(
        (SignUp.session.opportunity.organisation == organisation_id)
        & (SignUp.session.opportunity.status == OpportunityStatus.PUBLISHED.value)
        & SignUp.status.is_in(list(HOLDING_STATUSES))
        & (SignUp.session.starts_at > now)
    )
    counts: dict[int, int] = {}
    for row in rows:
        counts[row["opportunity_id"]] = counts.get(row["opportunity_id"], 0) + 1
    if not counts:
        first = (
            await Opportunity.select(Opportunity.id)
            .where(
                (Opportunity.organisation == organisation_id)
                & (Opportunity.status == OpportunityStatus.PUBLISHED.value)
            )
            .first()
        )
        return first["id"] if first else None
    return max(counts, key=lambda key: (counts[key], -key))
