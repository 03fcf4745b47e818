"""Queueing and delivering emails through the outbox table.

`queue_email` must be called inside the transaction of the action that causes the mail;
after commit the caller calls `notify_worker`. If that fails, `sweep` finds the row later."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from boerse.lib.db import utcnow, write_transaction
from boerse.lib.mail import Mail, send
from boerse.lib.queue import enqueue
from boerse.lib.templating import render
from boerse.outbox.tables import OutboxEmail, OutboxStatus
from boerse.settings import Settings

# A claim older than this is assumed to belong to a worker that died mid-send.
STALE_CLAIM = dt.timedelta(minutes=5)
MAX_ATTEMPTS = 8


@dataclass(frozen=True)
class QueuedEmail:
    id: int
    created: bool


async def queue_email(
    dedupe_key: str,
    recipient: str,
    subject: str,
    template: str,
    context: dict,
    ics: str = "",
) -> QueuedEmail:
    """Render `emails/<template>.txt` and `.html` into a pending row; a repeated
    `dedupe_key` returns the existing row instead of queueing a second mail."""
    existing = (
        await OutboxEmail.select(OutboxEmail.id).where(OutboxEmail.dedupe_key == dedupe_key).first()
    )
    if existing:
        return QueuedEmail(id=existing["id"], created=False)
    row = OutboxEmail(
        dedupe_key=dedupe_key,
        recipient=recipient,
        subject=subject,
        body_text=render(f"emails/{template}.txt", subject=subject, **context),
        body_html=render(f"emails/{template}.html", subject=subject, **context),
        ics=ics,
    )
    await row.save()
    return QueuedEmail(id=row.id, created=True)


async def notify_worker(email_id: int) -> bool:
    return await enqueue("deliver_email", email_id, job_id=f"deliver_email:{email_id}")


async def claim(email_id: int) -> OutboxEmail | None:
    """Atomically move a pending (or stale sending) row to `sending`; None if another
    worker has it or it is already sent, which is what makes a repeated job harmless."""
    now = utcnow()
    async with write_transaction():
        claimed = (
            await OutboxEmail.update(
                {
                    OutboxEmail.status: OutboxStatus.SENDING.value,
                    OutboxEmail.claimed_at: now,
                    OutboxEmail.attempts: OutboxEmail.attempts + 1,
                }
            )
            .where(
                (OutboxEmail.id == email_id)
                & (
                    (OutboxEmail.status == OutboxStatus.PENDING.value)
                    | (
                        (OutboxEmail.status == OutboxStatus.SENDING.value)
                        & (OutboxEmail.claimed_at < now - STALE_CLAIM)
                    )
                )
            )
            .returning(OutboxEmail.id)
        )
    if not claimed:
        return None
    return await OutboxEmail.objects().where(OutboxEmail.id == email_id).first()


async def deliver(email_id: int, settings: Settings) -> bool:
    """Send one queued email. Returns True if it was sent now; raises to let the job retry."""
    row = await claim(email_id)
    if row is None:
        return False
    mail = Mail(row.recipient, row.subject, row.body_text, row.body_html, row.ics)
    try:
        await send(mail, settings)
    except Exception as error:
        status = OutboxStatus.FAILED if row.attempts >= MAX_ATTEMPTS else OutboxStatus.PENDING
        await OutboxEmail.update(
            {OutboxEmail.status: status.value, OutboxEmail.last_error: type(error).__name__[:500]}
        ).where(OutboxEmail.id == email_id)
        raise
    await OutboxEmail.update(
        {OutboxEmail.status: OutboxStatus.SENT.value, OutboxEmail.sent_at: utcnow()}
    ).where(OutboxEmail.id == email_id)
    return True


async def pending_ids(older_than: dt.timedelta = dt.timedelta(seconds=30)) -> list[int]:
    """Rows nobody is working on: pending ones and claims left behind by a dead worker."""
    now = utcnow()
    rows = (
        await OutboxEmail.select(OutboxEmail.id)
        .where(
            (
                (OutboxEmail.status == OutboxStatus.PENDING.value)
                & (OutboxEmail.created_at < now - older_than)
            )
            | (
                (OutboxEmail.status == OutboxStatus.SENDING.value)
                & (OutboxEmail.claimed_at < now - STALE_CLAIM)
            )
        )
        .order_by(OutboxEmail.id)
        .limit(500)
    )
    return [row["id"] for row in rows]


async def recent_emails(limit: int = 50) -> list[dict]:
    return await OutboxEmail.select().order_by(OutboxEmail.id, ascending=False).limit(limit)


async def forget_recipient(recipient: str) -> None:
    """GDPR erasure: an account's deletion also removes every email to it, sent or queued."""
    await OutboxEmail.delete().where(OutboxEmail.recipient == recipient)


async def purge_delivered(retention: dt.timedelta) -> int:
    """Data minimisation: a delivered email is kept only as long as support questions need it."""
    deleted = (
        await OutboxEmail.delete()
        .where(
            OutboxEmail.status.is_in([OutboxStatus.SENT.value, OutboxStatus.FAILED.value]),
            OutboxEmail.created_at < utcnow() - retention,
        )
        .returning(OutboxEmail.id)
    )
    return len(deleted)
