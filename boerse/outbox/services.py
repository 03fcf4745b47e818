"""Queueing emails in the outbox table, and keeping it small.

`queue_email` / `queue_emails` must be called inside the transaction of the action that
causes the mail; after commit the caller calls `wake_delivery`. If Redis is down then, the
worker's sweep or its outage loop finds the row later: the table is the queue."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from boerse.lib.db import insert_many, utcnow
from boerse.lib.i18n import DEFAULT_LOCALE, gettext, use_locale
from boerse.lib.mail import check_headers, new_message_id
from boerse.lib.queue import enqueue
from boerse.lib.templating import render
from boerse.outbox.tables import OutboxEmail, OutboxStatus
from boerse.settings import get_settings


@dataclass(frozen=True)
class QueuedEmail:
    id: int
    created: bool


@dataclass(frozen=True)
class NewEmail:
    """One mail to queue: its cause (`dedupe_key`), address, subject and template.

    `subject` is the German msgid (marked with `N_`), translated into `language` (the
    recipient's) when the mail is rendered and then filled with `subject_args`; an address
    without an account gets the default, German."""

    dedupe_key: str
    recipient: str
    subject: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    ics: str = ""
    language: str = DEFAULT_LOCALE
    subject_args: dict[str, Any] = field(default_factory=dict)
    send_at: dt.datetime | None = None
    """Due from this moment (a survey reminder days later); None: at once."""
    headers: dict[str, str] = field(default_factory=dict)
    """Further headers (see `boerse.lib.mail.EXTRA_HEADERS`), e.g. `unsubscribe_headers()`."""


def unsubscribe_headers(url: str) -> dict[str, str]:
    """`List-Unsubscribe` with the one-click POST of RFC 8058, for a mail whose recipient
    can switch such mails off by `url` without logging in (the URL carries its own key, and
    its POST route is exempt from the CSRF check). Mail programs then offer "abbestellen"
    next to the sender, and large providers expect it of mails sent to many."""
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def encode_headers(headers: dict[str, str]) -> str:
    """The stored form of a mail's further headers: a JSON object, empty for none."""
    return json.dumps(check_headers(headers), sort_keys=True) if headers else ""


def decode_headers(stored: str) -> tuple[tuple[str, str], ...]:
    return tuple(json.loads(stored).items()) if stored else ()


def _values(email: NewEmail, now: dt.datetime, sender: str) -> dict[str, Any]:
    with use_locale(email.language):
        subject = gettext(email.subject)
        if email.subject_args:
            subject = subject.format(**email.subject_args)
        body_text = render(f"emails/{email.template}.txt", subject=subject, **email.context)
        body_html = render(f"emails/{email.template}.html", subject=subject, **email.context)
    return {
        "dedupe_key": email.dedupe_key,
        "recipient": email.recipient,
        "subject": subject,
        "body_text": body_text,
        "body_html": body_html,
        "ics": email.ics,
        "created_at": now,
        "next_attempt_at": email.send_at or now,
        "message_id": new_message_id(sender),
        "headers": encode_headers(email.headers),
    }


async def queue_email(
    dedupe_key: str,
    recipient: str,
    subject: str,
    template: str,
    context: dict,
    ics: str = "",
    *,
    language: str = DEFAULT_LOCALE,
    subject_args: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> QueuedEmail:
    """Render `emails/<template>.txt` and `.html` into a pending row, subject (a msgid) and
    body in the recipient's `language`; a repeated `dedupe_key` returns the existing row
    instead of queueing a second mail. `headers`: further headers (`NewEmail.headers`)."""
    existing = await _id_of(dedupe_key)
    if existing is not None:
        return QueuedEmail(id=existing, created=False)
    email = NewEmail(
        dedupe_key,
        recipient,
        subject,
        template,
        context,
        ics,
        language,
        subject_args or {},
        headers=headers or {},
    )
    inserted = await _insert(render_emails([email]))
    if not inserted:  # a parallel transaction queued the same cause a moment ago
        return QueuedEmail(id=await _id_of(dedupe_key), created=False)
    return QueuedEmail(id=inserted[0], created=True)


async def _id_of(dedupe_key: str) -> int | None:
    row = (
        await OutboxEmail.select(OutboxEmail.id).where(OutboxEmail.dedupe_key == dedupe_key).first()
    )
    return row["id"] if row else None


# The columns an insert writes; the rest keep their defaults.
BULK_COLUMNS = (
    OutboxEmail.dedupe_key,
    OutboxEmail.recipient,
    OutboxEmail.subject,
    OutboxEmail.body_text,
    OutboxEmail.body_html,
    OutboxEmail.ics,
    OutboxEmail.created_at,
    OutboxEmail.next_attempt_at,
    OutboxEmail.message_id,
    OutboxEmail.headers,
    OutboxEmail.status,
    OutboxEmail.attempts,
    OutboxEmail.last_error,
    OutboxEmail.claim_token,
)


def render_emails(emails: Sequence[NewEmail]) -> list[tuple[Any, ...]]:
    """Rows ready to insert. Rendering takes a fraction of a millisecond a mail: do it
    before the transaction, so SQLite's one writer is not held while templates render."""
    now, sender = utcnow(), get_settings().mail_from
    pending = {"status": OutboxStatus.PENDING.value, "attempts": 0, "last_error": ""}
    rows = []
    for email in emails:
        values = {**_values(email, now, sender), **pending, "claim_token": ""}
        rows.append(tuple(values[column._meta.name] for column in BULK_COLUMNS))
    return rows


async def insert_emails(rows: Sequence[tuple[Any, ...]]) -> int:
    """Queue many rendered mails in one statement (a survey fan-out); keys that exist already
    are skipped, so a repeated or concurrent run queues nothing twice. Returns how many are new."""
    return len(await _insert(rows))


async def _insert(rows: Sequence[tuple[Any, ...]]) -> list[int]:
    """Ids of the rows inserted; a row whose dedupe key exists already is skipped."""
    return await insert_many(
        OutboxEmail,
        BULK_COLUMNS,
        rows,
        skip_conflicts_on=OutboxEmail.dedupe_key,
        returning=OutboxEmail.id,
    )


async def queue_emails(emails: Sequence[NewEmail]) -> int:
    return await insert_emails(render_emails(emails))


async def wake_delivery() -> bool:
    """Ask a worker to deliver what is due. Each call is its own job (no job id): arq keeps
    a finished job's id for an hour and would silently drop a second wake-up with it."""
    return await enqueue("deliver_outbox")


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
