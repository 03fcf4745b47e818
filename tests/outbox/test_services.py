"""The outbox: queued in the caller's transaction, delivered once, swept up when the queue lost it."""

from __future__ import annotations

import datetime as dt

from boerse.lib.db import utcnow, write_transaction
from boerse.outbox import services
from boerse.outbox.jobs import sweep_outbox
from boerse.outbox.tables import OutboxEmail, OutboxStatus
from boerse.settings import get_settings
from tests.support.fixtures import run_worker
from tests.support.services import Mailbox, body_text

CONTEXT = {"headline": "Hallo", "url": "http://127.0.0.1:8000/x"}


async def queue_test_email(key: str = "test:1") -> int:
    async with write_transaction():
        queued = await services.queue_email(
            key, "anna@example.org", "Grüße aus der Börse", "test_mail", CONTEXT
        )
    return queued.id


async def test_queued_email_is_delivered_by_the_worker_over_smtp(mailbox: Mailbox) -> None:
    email_id = await queue_test_email()
    assert await services.notify_worker(email_id)

    assert await run_worker() == 1

    assert mailbox.subjects() == ["Grüße aus der Börse"]
    assert "http://127.0.0.1:8000/x" in body_text(mailbox.messages[0])
    row = await OutboxEmail.objects().where(OutboxEmail.id == email_id).first()
    assert row.status == OutboxStatus.SENT
    assert row.sent_at is not None


async def test_same_dedupe_key_queues_only_one_email() -> None:
    first = await queue_test_email("reminder:7")
    second = await queue_test_email("reminder:7")
    assert first == second
    assert await OutboxEmail.count() == 1


async def test_delivering_twice_sends_once(mailbox: Mailbox) -> None:
    email_id = await queue_test_email()
    assert await services.deliver(email_id, get_settings()) is True
    assert await services.deliver(email_id, get_settings()) is False
    assert len(mailbox.messages) == 1


async def test_sweep_re_enqueues_what_the_queue_never_got(mailbox: Mailbox) -> None:
    email_id = await queue_test_email()
    await OutboxEmail.update({OutboxEmail.created_at: utcnow() - dt.timedelta(minutes=2)}).where(
        OutboxEmail.id == email_id
    )

    assert await sweep_outbox({}) == 1
    await run_worker()
    assert mailbox.subjects() == ["Grüße aus der Börse"]


async def test_forgetting_a_recipient_removes_their_mails_only() -> None:
    await queue_test_email("a:1")
    async with write_transaction():
        await services.queue_email("b:1", "bert@example.org", "Hallo", "test_mail", CONTEXT)

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
