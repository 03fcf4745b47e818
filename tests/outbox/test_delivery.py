"""Delivery passes: claims with leases, one mark per accepted mail, refusals and outages."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt

from boerse.lib.db import utcnow
from boerse.outbox import delivery, policy
from boerse.outbox.tables import OutboxEmail, OutboxStatus
from boerse.settings import get_settings
from tests.outbox.helpers import queue_many, queue_test_email
from tests.support.services import Mailbox, free_port

LEASE = dt.timedelta(seconds=30)


async def statuses() -> dict[str, int]:
    rows = await OutboxEmail.select(OutboxEmail.status)
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["status"]] = counts.get(row["status"], 0) + 1
    return counts


async def test_a_pass_sends_everything_due_over_one_connection(mailbox: Mailbox) -> None:
    await queue_many(120)

    run = await delivery.deliver_due(get_settings(), budget_s=30)

    assert (run.sent, run.failed, run.more, run.server_down) == (120, 0, False, False)
    assert len(set(mailbox.message_ids())) == 120
    assert await statuses() == {"sent": 120}


async def test_concurrent_claims_never_share_a_row() -> None:
    await queue_many(100)

    claims = await asyncio.gather(*(delivery.claim_due(30, LEASE) for _ in range(5)))

    ids = [email.id for claim in claims for email in claim.emails]
    assert len(ids) == len(set(ids)) == 100


async def test_a_claim_is_taken_again_only_after_its_lease(mailbox: Mailbox) -> None:
    email_id = await queue_test_email()
    first = await delivery.claim_due(10, LEASE)
    assert [email.id for email in first.emails] == [email_id]

    assert (await delivery.claim_due(10, LEASE)).emails == []
    later = utcnow() + LEASE + dt.timedelta(seconds=1)
    again = await delivery.claim_due(10, LEASE, now=later)

    assert [email.id for email in again.emails] == [email_id]
    assert again.emails[0].attempts == 2
    assert again.emails[0].message_id == first.emails[0].message_id


async def test_a_dead_workers_claim_is_sent_with_the_same_message_id(mailbox: Mailbox) -> None:
    await queue_test_email()
    claim = await delivery.claim_due(10, LEASE)
    await OutboxEmail.update({OutboxEmail.lease_until: utcnow() - dt.timedelta(seconds=1)}).where(
        OutboxEmail.id == claim.emails[0].id
    )

    run = await delivery.deliver_due(get_settings(), budget_s=30)

    assert run.sent == 1
    assert mailbox.message_ids() == [claim.emails[0].message_id]


async def test_a_refused_recipient_fails_at_once_without_its_address_in_the_error(
    mailbox: Mailbox,
) -> None:
    mailbox.refuse["nobody@example.org"] = 550
    await queue_test_email("a:1", "nobody@example.org")
    await queue_test_email("a:2", "bert@example.org")

    run = await delivery.deliver_due(get_settings(), budget_s=30)

    assert (run.sent, run.failed) == (1, 1)
    row = await OutboxEmail.objects().where(OutboxEmail.recipient == "nobody@example.org").first()
    assert row.status == OutboxStatus.FAILED
    assert row.failed_at is not None
    assert "550" in row.last_error
    assert "@" not in row.last_error


async def test_a_temporary_refusal_waits_its_pause(mailbox: Mailbox) -> None:
    mailbox.refuse["later@example.org"] = 451
    await queue_test_email("a:1", "later@example.org")
    before = utcnow()

    run = await delivery.deliver_due(get_settings(), budget_s=30)

    assert run.retrying == 1
    row = await OutboxEmail.objects().first()
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 1)
    assert row.next_attempt_at >= before + policy.pause_after(1)
    assert await delivery.count_due() == 0


async def test_an_unreachable_server_defers_every_due_mail_until_it_gives_up() -> None:
    await queue_many(70)
    closed = dataclasses.replace(get_settings(), smtp_host="127.0.0.1", smtp_port=free_port())

    run = await delivery.deliver_due(closed, budget_s=30)

    assert run.server_down and run.sent == 0
    rows = await OutboxEmail.select(
        OutboxEmail.status, OutboxEmail.attempts, OutboxEmail.last_error
    )
    assert {(r["status"], r["attempts"]) for r in rows} == {("pending", 1)}
    assert {r["last_error"] for r in rows} == {"SMTPConnectError"}
    assert await delivery.count_due() == 0

    await OutboxEmail.update(
        {OutboxEmail.attempts: policy.MAX_ATTEMPTS - 1, OutboxEmail.next_attempt_at: utcnow()},
        force=True,
    )
    await delivery.deliver_due(closed, budget_s=30)
    assert await statuses() == {"failed": 70}


async def test_a_requested_stop_gives_back_the_claimed_rows_untried(mailbox: Mailbox) -> None:
    await queue_many(30)

    run = await delivery.deliver_due(
        get_settings(), budget_s=30, should_stop=lambda: len(mailbox.messages) >= 3
    )

    assert run.more and 3 <= run.sent < 30
    assert run.sent == len(mailbox.messages)
    rows = await OutboxEmail.select(OutboxEmail.status, OutboxEmail.attempts)
    assert sorted((r["status"], r["attempts"]) for r in rows) == sorted(
        [("sent", 1)] * run.sent + [("pending", 0)] * (30 - run.sent)
    )


async def test_a_spent_budget_leaves_the_rest_due() -> None:
    await queue_many(5)

    run = await delivery.deliver_due(get_settings(), budget_s=0)

    assert run.more and run.sent == 0
    assert await delivery.count_due() == 5
