"""The outbox: queued in the caller's transaction, delivered once, swept up when the queue lost it."""

from __future__ import annotations

import datetime as dt

from boerse.lib.db import utcnow
from boerse.outbox import services
from boerse.outbox.jobs import sweep_outbox
from boerse.outbox.tables import OutboxEmail, OutboxStatus
from tests.outbox.helpers import queue_many, queue_test_email
from tests.support.fixtures import run_worker
from tests.support.services import Mailbox, body_text


async def test_queued_email_is_delivered_by_the_worker_over_smtp(mailbox: Mailbox) -> None:
    email_id = await queue_test_email()
    assert await services.wake_delivery()

    assert await run_worker() == 1

    assert mailbox.subjects() == ["Grüße aus der Börse"]
    assert "http://127.0.0.1:8000/x" in body_text(mailbox.messages[0])
    row = await OutboxEmail.objects().where(OutboxEmail.id == email_id).first()
    assert row.status == OutboxStatus.SENT
    assert row.sent_at is not None
    assert mailbox.message_ids() == [row.message_id]


async def test_every_row_has_its_own_message_id() -> None:
    await queue_many(20)
    ids = [row["message_id"] for row in await OutboxEmail.select(OutboxEmail.message_id)]
    assert len(set(ids)) == 20
    assert all(i.startswith("<") and i.endswith("@mitmach-boerse.example>") for i in ids)


async def test_same_dedupe_key_queues_only_one_email() -> None:
    first = await queue_test_email("reminder:7")
    second = await queue_test_email("reminder:7")
    assert first == second
    assert await OutboxEmail.count() == 1


async def test_bulk_queueing_skips_keys_that_exist() -> None:
    await queue_test_email("bulk:3")
    assert await queue_many(5) == 4
    assert await queue_many(5) == 0
    assert await OutboxEmail.count() == 5


async def test_many_wake_ups_deliver_each_mail_once(mailbox: Mailbox) -> None:
    await queue_many(30)
    for _ in range(5):
        assert await services.wake_delivery()

    await run_worker()

    assert len(mailbox.messages) == 30
    assert len(set(mailbox.message_ids())) == 30


async def test_sweep_wakes_delivery_for_what_the_queue_never_got(mailbox: Mailbox) -> None:
    await queue_test_email()

    assert await sweep_outbox({}) == 1
    await run_worker()

    assert mailbox.subjects() == ["Grüße aus der Börse"]
    assert await sweep_outbox({}) == 0


async def test_a_reused_row_id_is_delivered_at_once(mailbox: Mailbox) -> None:
    """SQLite hands out a deleted row's id again; delivery jobs no longer carry row ids, so
    a new mail under an old id goes out like any other (it once waited an hour)."""
    await queue_test_email("account_reset:1", "gone@example.org")
    await services.wake_delivery()
    await run_worker()
    await services.forget_recipient("gone@example.org")

    await queue_test_email("account_reset:2", "new@example.org")
    await services.wake_delivery()
    await run_worker()

    assert [m["To"] for m in mailbox.messages] == ["gone@example.org", "new@example.org"]


async def test_forgetting_a_recipient_removes_their_mails_only() -> None:
    await queue_test_email("a:1")
    await queue_test_email("b:1", "bert@example.org")

    await services.forget_recipient("anna@example.org")

    assert [row["recipient"] for row in await OutboxEmail.select(OutboxEmail.recipient)] == [
        "bert@example.org"
    ]


async def test_purge_keeps_pending_and_recent_mails() -> None:
    old_sent, recent_sent, old_pending = (
        await queue_test_email("old"),
        await queue_test_email("recent"),
        await queue_test_email("pending"),
    )
    long_ago = utcnow() - dt.timedelta(days=40)
    await OutboxEmail.update({OutboxEmail.status: OutboxStatus.SENT.value}).where(
        OutboxEmail.id.is_in([old_sent, recent_sent])
    )
    await OutboxEmail.update({OutboxEmail.created_at: long_ago}).where(
        OutboxEmail.id.is_in([old_sent, old_pending])
    )

    assert await services.purge_delivered(dt.timedelta(days=30)) == 1

    remaining = {row["id"] for row in await OutboxEmail.select(OutboxEmail.id)}
    assert remaining == {recent_sent, old_pending}
