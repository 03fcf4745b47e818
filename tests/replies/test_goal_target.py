"""Replies to an outcome goal: who may write them (administrators and the officers of the
organisations serving the goal or its sub-goals), who hears of them (everyone who took
part in an ended session of a linked opportunity, once, unless opted out), and the pages."""

from __future__ import annotations

import pytest
from litestar.exceptions import NotFoundException, PermissionDeniedException

from boerse.accounts.auth import CurrentUser
from boerse.accounts.tables import Role, User
from boerse.outbox.tables import OutboxEmail
from boerse.replies import rules, services
from boerse.replies.tables import Reply, ReplyStatus, ReplyUpdate
from tests.replies.helpers import (
    FORM,
    GOAL_PARTICIPANTS,
    goal_with_participants,
    reply_data,
)
from tests.support.factories import make_officer, make_organisation, make_user, sign_in


def _user(user: User) -> CurrentUser:
    return CurrentUser(
        id=user.id,
        email=user.email,
        display_name=user.display_name,
        role=user.role,
        organisation_id=user.organisation,
        email_verified=True,
    )


async def _goal_reply(goals, goal_id: int | None = None) -> services.ReplyRow:
    reply_id = await services.create_reply(
        reply_data(), goals.town.officer.id, goal_id=goal_id or goals.main.id
    )
    return await services.reply_row(reply_id)


async def test_who_may_reply_to_a_goal() -> None:
    goals = await goal_with_participants()
    admin = _user(await make_user(role=Role.ADMIN))
    stranger = _user(await make_officer(await make_organisation(name="Fremdes Amt")))
    resident = _user(await make_user())
    town_officer, other_officer = _user(goals.town.officer), _user(goals.other_officer)
    # the main goal: its own links and its sub-goal's count
    for user in (admin, town_officer, other_officer):
        assert await rules.may_reply_to_goal(user, goals.main.id)
        assert (await rules.access_goal_reply(user, goals.main.id)).id == goals.main.id
    # the sub-goal: only its own links (the town's opportunity serves the main goal)
    assert await rules.may_reply_to_goal(other_officer, goals.sub.id)
    assert not await rules.may_reply_to_goal(town_officer, goals.sub.id)
    for user in (stranger, resident, None):
        assert not await rules.may_reply_to_goal(user, goals.main.id)
    with pytest.raises(PermissionDeniedException):
        await rules.access_goal_reply(stranger, goals.main.id)
    with pytest.raises(NotFoundException):
        await rules.access_goal_reply(admin, goals.main.id + 100)

    row = await _goal_reply(goals)
    assert row.goal_id == goals.main.id and row.target_title == "Ein grüner Stadtteil"
    assert row.organisation_name == "Grünflächenamt"  # the author's
    assert (await rules.access_reply(other_officer, row.id, manage=True)).id == row.id
    with pytest.raises(PermissionDeniedException):
        await rules.access_reply(stranger, row.id, manage=True)
    with pytest.raises(NotFoundException):
        await rules.access_reply(None, row.id)  # a draft
    await services.publish_reply(row)
    assert (await rules.access_reply(None, row.id)).published


async def test_a_reply_has_exactly_one_target() -> None:
    goals = await goal_with_participants()
    with pytest.raises(ValueError):
        await services.create_reply(
            reply_data(),
            goals.town.officer.id,
            goal_id=goals.main.id,
            opportunity_id=goals.town.opportunity.id,
        )
    with pytest.raises(ValueError):
        await services.create_reply(reply_data(), goals.town.officer.id)


async def test_goal_participants_are_mailed_once_per_update() -> None:
    goals = await goal_with_participants()
    row = await _goal_reply(goals)
    recipients = [p.email for p in await services.recipients_of(row)]
    assert recipients == sorted(recipients, key=recipients.index)  # one row per person
    assert sorted(recipients) == GOAL_PARTICIPANTS  # tom took part in both, mailed once
    sub_row = await _goal_reply(goals, goals.sub.id)
    assert sorted(p.email for p in await services.recipients_of(sub_row)) == [
        "greta@example.org",
        "tom@example.org",
    ]

    assert await services.publish_reply(row) == 4
    assert await services.publish_reply(await services.reply_row(row.id)) == 0
    row = await services.reply_row(row.id)
    assert await services.update_reply(row, reply_data(title="Nur der Titel")) == 0
    row = await services.reply_row(row.id)
    assert await services.update_reply(row, reply_data(ReplyStatus.IN_PROGRESS)) == 4
    row = await services.reply_row(row.id)
    assert await services.update_reply(row, reply_data(ReplyStatus.IN_PROGRESS)) == 0  # same
    assert await ReplyUpdate.count().where(ReplyUpdate.reply == row.id) == 2
    keys = [r["dedupe_key"] for r in await OutboxEmail.select(OutboxEmail.dedupe_key)]
    assert len(keys) == len(set(keys)) == 8

    greta = next(p for p in await services.recipients_of(row) if p.email.startswith("greta"))
    await services.opt_out(greta.user_id)
    row = await services.reply_row(row.id)
    assert await services.update_reply(row, reply_data(ReplyStatus.DONE)) == 3


async def test_goal_page_offers_writing_a_reply_to_those_allowed(client) -> None:
    goals = await goal_with_participants()
    page_url = f"/wirkungsziele/{goals.main.id}"
    new_url = f"/verwaltung/rueckmeldungen/ziel/{goals.main.id}/neu"
    assert "Antwort schreiben" not in (await client.get(page_url)).text
    await sign_in(client, await make_officer(await make_organisation(name="Fremdes Amt")))
    assert "Antwort schreiben" not in (await client.get(page_url)).text
    assert (await client.get(new_url)).status_code == 403
    assert (await client.submit(new_url, FORM)).status_code == 403

    await sign_in(client, goals.other_officer)
    page = await client.get(page_url)
    assert "Antwort schreiben" in page.text and new_url in page.text
    form = await client.get(new_url)
    assert form.status_code == 200 and "Wirkungsziel: Ein grüner Stadtteil" in form.text
    assert "eines Angebots zu diesem Ziel oder seinen Unterzielen" in form.text
    assert (await client.submit(new_url, FORM | {"changes": ""})).status_code == 400
    assert (await client.submit(new_url, FORM)).status_code == 303
    reply_id = (await Reply.select(Reply.id).where(Reply.goal == goals.main.id).first())["id"]
    assert "Mehr Bänke im Rosental" in (await client.get(page_url)).text  # own draft
    publish = f"/verwaltung/rueckmeldungen/{reply_id}/veroeffentlichen"
    assert (await client.submit(publish)).status_code == 303
    assert await OutboxEmail.count() == 4

    client.cookies.clear()
    page = await client.get(page_url)
    assert "Mehr Bänke im Rosental" in page.text
    assert f"/wir-haben-gehandelt/{reply_id}" in page.text
    # a main goal's page counts its sub-goals, not the other way round
    assert "Mehr Bänke" not in (await client.get(f"/wirkungsziele/{goals.sub.id}")).text
    listing = await client.get("/wir-haben-gehandelt/")
    assert "Wirkungsziel: Ein grüner Stadtteil" in listing.text
    detail = await client.get(f"/wir-haben-gehandelt/{reply_id}")
    assert f'href="/wirkungsziele/{goals.main.id}"' in detail.text
    assert "Bürgerverein West" in detail.text


async def test_goal_page_with_replies_runs_a_fixed_number_of_queries(client, count_queries) -> None:
    goals = await goal_with_participants()

    async def publish(n: int) -> None:
        for _ in range(n):
            await services.publish_reply(await _goal_reply(goals))

    await publish(1)
    await sign_in(client, goals.town.officer)
    with count_queries() as one:
        assert (await client.get(f"/wirkungsziele/{goals.main.id}")).status_code == 200
    await publish(4)
    await services.create_reply(reply_data(), goals.town.officer.id, goal_id=goals.main.id)
    with count_queries() as six:
        page = await client.get(f"/wirkungsziele/{goals.main.id}")
    assert page.text.count("Mehr Bänke im Rosental") == 6
    assert six.count == one.count


async def test_results_overview_links_goals_and_replies(client) -> None:
    """The main navigation's "Ergebnisse" leads here: goals and replies one click on."""
    page = await client.get("/ergebnisse/")
    assert page.status_code == 200
    assert 'href="/wirkungsziele"' in page.text
    assert 'href="/wir-haben-gehandelt"' in page.text
    assert 'href="/ergebnisse"' in (await client.get("/")).text


async def test_a_main_goals_page_leaves_its_sub_goals_replies_to_their_page(client) -> None:
    goals = await goal_with_participants()
    sub_row = await services.reply_row(
        await services.create_reply(
            reply_data(title="Neue Mülleimer im Park"), goals.other_officer.id, goal_id=goals.sub.id
        )
    )
    await sign_in(client, goals.town.officer)  # serves the main goal only
    page = await client.get(f"/wirkungsziele/{goals.main.id}")
    assert "Neue Mülleimer im Park" not in page.text  # a sub-goal's draft
    await services.publish_reply(sub_row)
    page = await client.get(f"/wirkungsziele/{goals.main.id}")
    assert f'href="/wir-haben-gehandelt/{sub_row.id}"' in page.text
    assert f'href="/verwaltung/rueckmeldungen/{sub_row.id}"' not in page.text
    assert (await client.get(f"/verwaltung/rueckmeldungen/{sub_row.id}")).status_code == 403
