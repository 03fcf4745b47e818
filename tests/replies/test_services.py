"""Replies: who counts as a participant, drafts stay private, each update is mailed once."""

from __future__ import annotations

from boerse.outbox.tables import OutboxEmail
from boerse.replies import services
from boerse.replies.tables import ReplyStatus, ReplyUpdate
from tests.replies.helpers import PARTICIPANTS, reply_data, town_with_participants


async def _draft(town) -> services.ReplyRow:
    reply_id = await services.create_reply(
        reply_data(), town.officer.id, opportunity_id=town.opportunity.id
    )
    return await services.reply_row(reply_id)


async def test_participants_are_those_who_took_part_in_ended_sessions() -> None:
    town = await town_with_participants()
    people = await services.participants_of(town.opportunity.id)
    assert [p.email for p in people] == PARTICIPANTS
    assert {p.email: p.language for p in people}["tom@example.org"] == "en"


async def test_a_draft_is_not_public_and_mails_nobody() -> None:
    town = await town_with_participants()
    row = await _draft(town)
    assert not row.published
    assert await services.published_replies() == []
    assert await services.replies_for_opportunity(town.opportunity.id) == []
    drafts = await services.replies_for_opportunity(town.opportunity.id, published_only=False)
    assert [r.id for r in drafts] == [row.id]
    assert await OutboxEmail.count() == 0


async def test_publishing_mails_each_participant_once_per_update() -> None:
    town = await town_with_participants()
    row = await _draft(town)
    assert await services.publish_reply(row) == 3
    assert await services.publish_reply(await services.reply_row(row.id)) == 0
    assert await services.publish_reply(row) == 0  # a stale row: the table says published
    updates = await ReplyUpdate.select(ReplyUpdate.id)
    assert len(updates) == 1
    keys = sorted(r["dedupe_key"] for r in await OutboxEmail.select(OutboxEmail.dedupe_key))
    assert keys[0].startswith(f"reply:{updates[0]['id']}:")
    assert [r.id for r in await services.published_replies()] == [row.id]


async def test_a_status_change_of_a_published_reply_is_a_new_update() -> None:
    town = await town_with_participants()
    row = await _draft(town)
    await services.publish_reply(row)
    row = await services.reply_row(row.id)
    assert await services.update_reply(row, reply_data(title="Neuer Titel")) == 0
    row = await services.reply_row(row.id)
    assert await services.update_reply(row, reply_data(ReplyStatus.IN_PROGRESS)) == 3
    assert await ReplyUpdate.count() == 2
    assert await OutboxEmail.count() == 6
    assert (await services.reply_row(row.id)).status == ReplyStatus.IN_PROGRESS.value


async def test_opted_out_people_get_no_mail() -> None:
    town = await town_with_participants()
    people = await services.participants_of(town.opportunity.id)
    anna = people[0]
    assert services.valid_opt_out(anna.user_id, services.opt_out_token(anna.user_id))
    assert not services.valid_opt_out(anna.user_id, services.opt_out_token(anna.user_id + 1))
    await services.opt_out(anna.user_id)
    await services.opt_out(anna.user_id)
    assert await services.has_opted_out(anna.user_id)
    remaining = [p.email for p in await services.participants_of(town.opportunity.id)]
    assert remaining == PARTICIPANTS[1:]
    assert await services.publish_reply(await _draft(town)) == 2
