"""Delivering the outbox: claim due rows with a lease, send them over one SMTP connection,
mark each one sent the moment the server accepted it.

Why this bounds duplicates: a row is marked sent (committed) before any other mail of the
worker is accepted by the server (the acceptances of all its connections and the marks share
one lock), and a worker only starts a send early in its lease, so the send has ended long
before anyone else may claim the row. A mail goes out twice only when its worker died
between the server's "250 accepted" and that commit: at most one mail per killed worker.
A killed worker's other claimed rows become due again when their lease runs out."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import secrets
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import aiosmtplib

from boerse.lib.db import QuickWriter, is_sqlite, quick_writer, utcnow
from boerse.lib.mail import (
    AcceptedNotRecordedError,
    Mail,
    MailConnectionError,
    MailTransport,
    PermanentMailError,
)
from boerse.outbox import policy
from boerse.outbox.services import decode_headers
from boerse.outbox.tables import OutboxEmail, OutboxStatus
from boerse.settings import Settings

log = logging.getLogger(__name__)

# Rows per claim: small, so a killed worker strands few and a claim is sent well within its
# lease; large enough that claiming costs little next to sending (one query per 50 mails).
CLAIM_BATCH = 50

PENDING, SENDING = OutboxStatus.PENDING.value, OutboxStatus.SENDING.value
SENT, FAILED = OutboxStatus.SENT.value, OutboxStatus.FAILED.value


@dataclass(frozen=True)
class ClaimedEmail:
    id: int
    dedupe_key: str
    recipient: str
    subject: str
    body_text: str
    body_html: str
    ics: str
    message_id: str
    attempts: int
    headers: str = ""

    def mail(self) -> Mail:
        return Mail(
            self.recipient,
            self.subject,
            self.body_text,
            self.body_html,
            self.ics,
            self.message_id,
            decode_headers(self.headers),
        )


@dataclass(frozen=True)
class Claim:
    token: str
    emails: list[ClaimedEmail]


@dataclass
class DeliveryRun:
    """What one delivery pass did; `more` means it stopped (time budget, shutdown) with
    work left, `server_down` that the mail server could not be reached."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    more: bool = False
    server_down: bool = False


def _due(now: dt.datetime):
    """Pending rows whose time has come, and claims whose lease has run out (dead worker)."""
    return ((OutboxEmail.status == PENDING) & (OutboxEmail.next_attempt_at <= now)) | (
        (OutboxEmail.status == SENDING) & (OutboxEmail.lease_until < now)
    )


async def count_due(now: dt.datetime | None = None) -> int:
    return await OutboxEmail.count().where(_due(now or utcnow()))


async def claim_due(limit: int, lease: dt.timedelta, now: dt.datetime | None = None) -> Claim:
    """Take up to `limit` due rows in one statement. PostgreSQL skips rows that another
    worker is claiming this instant (FOR UPDATE SKIP LOCKED); SQLite runs one writing
    statement at a time, which gives the same guarantee."""
    now = now or utcnow()
    token = secrets.token_hex(8)
    candidates = OutboxEmail.select(OutboxEmail.id).where(_due(now)).order_by(OutboxEmail.id)
    candidates = candidates.limit(limit)
    if not is_sqlite():
        candidates = candidates.lock_rows("UPDATE", skip_locked=True)
    rows = (
        await OutboxEmail.update(
            {
                OutboxEmail.status: SENDING,
                OutboxEmail.claimed_at: now,
                OutboxEmail.lease_until: now + lease,
                OutboxEmail.claim_token: token,
                OutboxEmail.attempts: OutboxEmail.attempts + 1,
            }
        )
        .where(OutboxEmail.id.is_in(candidates))
        .returning(
            OutboxEmail.id,
            OutboxEmail.dedupe_key,
            OutboxEmail.recipient,
            OutboxEmail.subject,
            OutboxEmail.body_text,
            OutboxEmail.body_html,
            OutboxEmail.ics,
            OutboxEmail.message_id,
            OutboxEmail.attempts,
            OutboxEmail.headers,
        )
    )
    emails = sorted((ClaimedEmail(**row) for row in rows), key=lambda email: email.id)
    return Claim(token, emails)


# Written out once: built by Piccolo's query builder it cost more than the write itself.
MARK_SENT = (
    "UPDATE outbox_email SET status = {}, sent_at = {}, lease_until = NULL, last_error = ''"
    " WHERE id = {}"
)


async def mark_sent(email_id: int, writer: QuickWriter) -> None:
    await writer.execute(MARK_SENT, SENT, utcnow(), email_id)


async def release(token: str, ids: Sequence[int], due_at: dt.datetime | None = None) -> None:
    """Give claimed rows back unsent (shutdown, lease nearly over): the claim's try does not
    count. Only rows this claim still holds are touched."""
    if not ids:
        return
    await OutboxEmail.update(
        {
            OutboxEmail.status: PENDING,
            OutboxEmail.attempts: OutboxEmail.attempts - 1,
            OutboxEmail.next_attempt_at: due_at or utcnow(),
            OutboxEmail.lease_until: None,
        }
    ).where(
        OutboxEmail.id.is_in(list(ids)),
        OutboxEmail.claim_token == token,
        OutboxEmail.status == SENDING,
    )


async def record_failure(
    email: ClaimedEmail, token: str, error: str, *, permanent: bool, now: dt.datetime
) -> bool:
    """One mail was refused: wait its pause, or give up. Returns True when it failed for good."""
    gives_up = permanent or policy.gives_up(email.attempts)
    values = {OutboxEmail.last_error: error[:500], OutboxEmail.lease_until: None}
    if gives_up:
        values[OutboxEmail.status] = FAILED
        values[OutboxEmail.failed_at] = now
    else:
        values[OutboxEmail.status] = PENDING
        values[OutboxEmail.next_attempt_at] = now + policy.pause_after(email.attempts)
    await OutboxEmail.update(values).where(
        (OutboxEmail.id == email.id) & (OutboxEmail.claim_token == token)
    )
    _log_failure(email.id, email.dedupe_key, email.attempts, error, gives_up)
    return gives_up


async def defer_all_due(error: str, now: dt.datetime) -> int:
    """The mail server is unreachable: every due mail counts one failed try and waits its
    own growing pause (or fails once out of tries), instead of each being tried in turn."""
    pending_due = (OutboxEmail.status == PENDING) & (OutboxEmail.next_attempt_at <= now)
    levels = await OutboxEmail.select(OutboxEmail.attempts).where(pending_due).distinct()
    deferred = 0
    for level in sorted(row["attempts"] for row in levels):
        tried = level + 1
        values = {OutboxEmail.attempts: tried, OutboxEmail.last_error: error[:500]}
        if policy.gives_up(tried):
            values[OutboxEmail.status] = FAILED
            values[OutboxEmail.failed_at] = now
        else:
            values[OutboxEmail.next_attempt_at] = now + policy.pause_after(tried)
        changed = (
            await OutboxEmail.update(values)
            .where(pending_due & (OutboxEmail.attempts == level))
            .returning(OutboxEmail.id)
        )
        deferred += len(changed)
    log.warning("event=outbox_server_down error=%s deferred=%d", error, deferred)
    return deferred


def _log_failure(email_id: int, key: str, attempts: int, error: str, final: bool) -> None:
    event = "outbox_failed" if final else "outbox_retry"
    log.warning(
        "event=%s id=%d kind=%s attempts=%d error=%s",
        event,
        email_id,
        policy.kind_of(key),
        attempts,
        error,
    )


def error_text(error: BaseException) -> str:
    """What we keep of an error: its class and SMTP code, never the server's text (which
    may quote the recipient's address)."""
    code = getattr(error, "code", None)
    return f"{type(error).__name__} {code}" if code else type(error).__name__


class _Pass:
    """One delivery pass: claims and sends until nothing is due, the budget is spent, a
    stop is requested or the server is down. `SMTP_CONNECTIONS` connections send side by
    side; their acceptances and our marks share one lock (see `lib.mail`)."""

    def __init__(
        self, settings: Settings, budget_s: float, should_stop: Callable[[], bool]
    ) -> None:
        self.settings = settings
        self.deadline = time.monotonic() + budget_s
        self.should_stop = should_stop
        self.lease = dt.timedelta(seconds=settings.outbox_lease_seconds)
        # A send starts only in the first third of its lease; each of its at most six SMTP
        # commands may take a twelfth: it has ended long before another worker may claim.
        self.send_window = settings.outbox_lease_seconds / 3
        self.command_timeout = settings.outbox_lease_seconds / 12
        self.run = DeliveryRun()
        self.server_error = ""

    def _must_pause(self) -> bool:
        return self.should_stop() or time.monotonic() > self.deadline

    async def deliver(self) -> DeliveryRun:
        lock = asyncio.Lock()
        transports = [
            MailTransport(self.settings, self.command_timeout, lock)
            for _ in range(self.settings.smtp_connections)
        ]
        async with quick_writer() as writer:
            try:
                while not self.run.server_down:
                    if self._must_pause():
                        self.run.more = await count_due() > 0
                        break
                    claim = await claim_due(CLAIM_BATCH, self.lease)
                    if not claim.emails:
                        break
                    await self._send_claim(claim, transports, writer)
            finally:
                for transport in transports:
                    await transport.close()
        return self.run

    async def _send_claim(
        self, claim: Claim, transports: list[MailTransport], writer: QuickWriter
    ) -> None:
        started = time.monotonic()
        waiting = deque(claim.emails)
        unsent = {email.id for email in claim.emails}

        async def sender(transport: MailTransport) -> None:
            while waiting and not self.run.server_down:
                if self._must_pause() or time.monotonic() - started > self.send_window:
                    return
                email = waiting.popleft()
                if await self._send_one(email, claim.token, transport, writer):
                    unsent.discard(email.id)

        try:
            async with asyncio.TaskGroup() as senders:
                for transport in transports:
                    senders.create_task(sender(transport))
        finally:
            # Also on cancellation: nothing stays claimed by a pass that has ended.
            await asyncio.shield(release(claim.token, sorted(unsent)))
        if self.run.server_down:
            await defer_all_due(self.server_error, utcnow())

    async def _send_one(
        self,
        email: ClaimedEmail,
        token: str,
        transport: MailTransport,
        writer: QuickWriter,
    ) -> bool:
        """Send one mail and record the outcome; False when it stays unsent (server down)."""
        try:
            await transport.send(email.mail(), lambda: mark_sent(email.id, writer))
        except MailConnectionError as error:
            self.run.server_down = True
            self.server_error = str(error)
            return False
        except AcceptedNotRecordedError as error:
            # Sent, but the database did not take the mark: the row stays claimed and goes
            # out again when its lease ends, unless the mark is made meanwhile.
            log.error("event=outbox_mark_failed id=%d error=%s", email.id, error)
            return True
        except PermanentMailError as error:
            await record_failure(email, token, str(error), permanent=True, now=utcnow())
            self.run.failed += 1
            return True
        except aiosmtplib.SMTPException as error:
            final = await record_failure(
                email, token, error_text(error), permanent=False, now=utcnow()
            )
            self.run.failed += final
            self.run.retrying += not final
            return True
        self.run.sent += 1
        return True


async def deliver_due(
    settings: Settings, *, budget_s: float, should_stop: Callable[[], bool] = lambda: False
) -> DeliveryRun:
    """Send what is due over one connection until done or `budget_s` has passed."""
    return await _Pass(settings, budget_s, should_stop).deliver()
