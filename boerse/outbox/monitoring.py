"""Queries of the admin page "Versand": how full the queue is, what went out per hour, which
mails are in trouble, and trying those again.

Rows leave this module with the recipient's domain only (data minimisation: an administrator
needs to see that mails to one provider fail, not to whom), and never with subject or body.
The page runs a fixed number of queries, whatever the number of mails."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from piccolo.query.functions.aggregate import Count

from boerse.audit.actions import Action
from boerse.audit.services import record
from boerse.lib.db import is_sqlite, utcnow, write_transaction
from boerse.lib.queue import queued_job_count
from boerse.operations.services import WorkerStatus, workers
from boerse.outbox import policy
from boerse.outbox.services import wake_delivery
from boerse.outbox.tables import OutboxEmail, OutboxStatus

PENDING, SENDING = OutboxStatus.PENDING.value, OutboxStatus.SENDING.value
SENT, FAILED = OutboxStatus.SENT.value, OutboxStatus.FAILED.value

# A pending mail that failed this often is worth a look before the policy gives up on it.
STUCK_ATTEMPTS = 3
# The page lists at most this many mails in trouble (newest first) and says how many there are.
PROBLEM_LIMIT = 100
HOURS = 24


@dataclass(frozen=True)
class QueueDepth:
    due: int
    """Pending and due now: a worker should be sending them."""
    waiting: int
    """Pending, but pausing after a failed try."""
    sending: int
    oldest_due_for: dt.timedelta | None
    """How long the longest-waiting due mail has been due (None when nothing is due)."""
    queued_jobs: int | None
    """Jobs in the arq queue; None when Redis is unreachable."""


@dataclass(frozen=True)
class HourlyCount:
    hour: dt.datetime
    """Start of the hour (UTC)."""
    sent: int
    failed: int


@dataclass(frozen=True)
class EmailSummary:
    """What the admin page may show of one mail."""

    id: int
    created_at: dt.datetime
    kind: str
    recipient_domain: str
    status: str
    attempts: int
    last_error: str
    next_attempt_at: dt.datetime | None

    @property
    def failed(self) -> bool:
        return self.status == FAILED


@dataclass(frozen=True)
class DeliveryOverview:
    depth: QueueDepth
    hours: list[HourlyCount]
    failed: int
    stuck: int
    problems: list[EmailSummary]
    """Failed and stuck mails, newest first, at most `PROBLEM_LIMIT`."""
    workers: list[WorkerStatus]
    retry_budget: dt.timedelta
    stuck_attempts: int = STUCK_ATTEMPTS


def _due(now: dt.datetime):
    return (OutboxEmail.status == PENDING) & (OutboxEmail.next_attempt_at <= now)


def _stuck(now: dt.datetime):
    """Pending after several failed tries, or claimed by a worker whose lease ran out."""
    return ((OutboxEmail.status == PENDING) & (OutboxEmail.attempts >= STUCK_ATTEMPTS)) | (
        (OutboxEmail.status == SENDING) & (OutboxEmail.lease_until < now)
    )


def _in_trouble(now: dt.datetime):
    return (OutboxEmail.status == FAILED) | _stuck(now)


SUMMARY_COLUMNS = (
    OutboxEmail.id,
    OutboxEmail.created_at,
    OutboxEmail.dedupe_key,
    OutboxEmail.recipient,
    OutboxEmail.status,
    OutboxEmail.attempts,
    OutboxEmail.last_error,
    OutboxEmail.next_attempt_at,
)


def _summary(row: dict) -> EmailSummary:
    return EmailSummary(
        id=row["id"],
        created_at=row["created_at"],
        kind=policy.kind_of(row["dedupe_key"]),
        recipient_domain=row["recipient"].rpartition("@")[2],
        status=row["status"],
        attempts=row["attempts"],
        last_error=row["last_error"],
        next_attempt_at=row["next_attempt_at"] if row["status"] == PENDING else None,
    )


async def delivery_overview(now: dt.datetime | None = None) -> DeliveryOverview:
    """Everything the page shows: eight queries and one Redis call."""
    now = now or utcnow()
    totals = {
        row["status"]: row["count"]
        for row in await OutboxEmail.select(OutboxEmail.status, Count(alias="count")).group_by(
            OutboxEmail.status
        )
    }
    problems = (
        await OutboxEmail.select(*SUMMARY_COLUMNS)
        .where(_in_trouble(now))
        .order_by(OutboxEmail.id, ascending=False)
        .limit(PROBLEM_LIMIT)
    )
    return DeliveryOverview(
        depth=await _depth(now, totals),
        hours=await _hours(now),
        failed=totals.get(FAILED, 0),
        stuck=await OutboxEmail.count().where(_stuck(now)),
        problems=[_summary(row) for row in problems],
        workers=await workers(now),
        retry_budget=policy.retry_budget(),
    )


async def _depth(now: dt.datetime, totals: dict[str, int]) -> QueueDepth:
    due = await OutboxEmail.count().where(_due(now))
    oldest = (
        await OutboxEmail.select(OutboxEmail.next_attempt_at)
        .where(_due(now))
        .order_by(OutboxEmail.next_attempt_at)
        .first()
    )
    return QueueDepth(
        due=due,
        waiting=totals.get(PENDING, 0) - due,
        sending=totals.get(SENDING, 0),
        oldest_due_for=now - oldest["next_attempt_at"] if oldest else None,
        queued_jobs=await queued_job_count(),
    )


def _hour_key(column: str) -> str:
    """The UTC hour of a timestamp as 'YYYY-MM-DD HH' on either backend (SQLite keeps
    Timestamptz as UTC text, '2026-11-30 10:04:00+00:00')."""
    if is_sqlite():
        return f"substr({column}, 1, 13)"
    return f"to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24')"


async def _per_hour(moment: str, status: str, since: dt.datetime) -> dict[str, int]:
    table = OutboxEmail._meta.tablename
    # Only constants of this module are formatted into the SQL; values are parameters.
    rows = await OutboxEmail.raw(
        f"SELECT {_hour_key('moment')} AS hour, count(*) AS count FROM "  # noqa: S608
        f"(SELECT {moment} AS moment FROM {table} WHERE status = {{}}) AS moments "
        "WHERE moment >= {} GROUP BY 1",
        status,
        since,
    )
    return {row["hour"]: row["count"] for row in rows}


async def _hours(now: dt.datetime) -> list[HourlyCount]:
    """Sent and failed mails in each of the last 24 hours, the current one included."""
    current = now.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)
    first = current - dt.timedelta(hours=HOURS - 1)
    sent = await _per_hour("sent_at", SENT, first)
    failed = await _per_hour("failed_at", FAILED, first)
    counts = []
    for n in range(HOURS):
        hour = first + dt.timedelta(hours=n)
        key = hour.strftime("%Y-%m-%d %H")
        counts.append(HourlyCount(hour, sent.get(key, 0), failed.get(key, 0)))
    return counts


async def failed_count() -> int:
    """For the notice on the admin start page."""
    return await OutboxEmail.count().where(OutboxEmail.status == FAILED)


async def email_summary(email_id: int) -> EmailSummary | None:
    row = await OutboxEmail.select(*SUMMARY_COLUMNS).where(OutboxEmail.id == email_id).first()
    return _summary(row) if row else None


def _fresh_start(now: dt.datetime) -> dict:
    return {
        OutboxEmail.status: PENDING,
        OutboxEmail.attempts: 0,
        OutboxEmail.next_attempt_at: now,
        OutboxEmail.lease_until: None,
        OutboxEmail.claim_token: "",
        OutboxEmail.failed_at: None,
    }


async def retry_email(email_id: int) -> bool:
    """Try one failed or stuck mail again from scratch (a full retry budget). False when it
    is in no trouble (sent meanwhile, or a worker holds a valid lease on it)."""
    now = utcnow()
    async with write_transaction():
        retried = (
            await OutboxEmail.update(_fresh_start(now))
            .where((OutboxEmail.id == email_id) & _in_trouble(now))
            .returning(OutboxEmail.id)
        )
        if retried:
            await record(Action.EMAIL_RETRIED, email_id)
    if retried:
        await wake_delivery()
    return bool(retried)


async def retry_failed() -> int:
    """Try every failed mail again (after the mail server or its configuration was fixed)."""
    async with write_transaction():
        retried = (
            await OutboxEmail.update(_fresh_start(utcnow()))
            .where(OutboxEmail.status == FAILED)
            .returning(OutboxEmail.id)
        )
        if retried:
            await record(Action.FAILED_EMAILS_RETRIED, count=len(retried))
    if retried:
        await wake_delivery()
    return len(retried)
