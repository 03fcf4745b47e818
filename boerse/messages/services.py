"""Messages from an organising body to the people signed up for its dates: who receives
one, sending it (the officer's copy, one mail per person, the audit entry in one
transaction), the sent list, and switching such messages off without logging in.

Every recipient gets a mail of their own with only their address, so nobody learns who
else takes part. The officer's text goes into the mails as typed: the templates escape it
(HTML) and nothing here logs it."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from boerse.accounts.tables import User
from boerse.audit.actions import Action
from boerse.audit.services import record
from boerse.lib.db import CONSTRAINT_ERRORS, is_unique_violation, utcnow, write_transaction
from boerse.lib.i18n import N_
from boerse.lib.urls import site_url
from boerse.messages.tables import Audience, Message
from boerse.opportunities.calendar import opportunity_url
from boerse.opportunities.tables import HOLDING_STATUSES, SignUp, SignUpStatus
from boerse.outbox.services import (
    NewEmail,
    insert_emails,
    queue_email,
    render_emails,
    unsubscribe_headers,
    wake_delivery,
)
from boerse.settings import get_settings

EMAIL_ROWS_PER_INSERT = 1000
SUBJECT = N_("{title}: {subject}")
"""The recipients' subject: the offer first, so the mail is recognisable in an inbox."""
COPY_SUBJECT = N_("Ihre Nachricht an Teilnehmende: {subject}")
TITLE_IN_SUBJECT = 100
"""An offer's title is cut to this in the subject (the outbox keeps 250 characters)."""

AUDIENCE_LABELS = {
    Audience.SESSION.value: N_("Alle Angemeldeten eines Termins"),
    Audience.UPCOMING.value: N_("Alle Angemeldeten der kommenden Termine"),
    Audience.WAITLIST.value: N_("Warteliste"),
}


class NoRecipientsError(Exception):
    """Nobody would receive the message (nobody signed up, or all switched messages off)."""

    def __init__(self, skipped: int) -> None:
        super().__init__(skipped)
        self.skipped = skipped


@dataclass(frozen=True)
class Draft:
    """A message as the officer wrote it, checked by `schemas.parse_message`."""

    audience: str
    session_id: int | None
    subject: str
    body: str
    send_key: str


@dataclass(frozen=True)
class Recipient:
    user_id: int
    email: str
    name: str
    language: str
    waitlisted: bool


@dataclass(frozen=True)
class Audiencing:
    """Who a draft reaches: the recipients, and how many were left out by their own choice."""

    recipients: list[Recipient]
    skipped: int


@dataclass(frozen=True)
class MessageRow:
    id: int
    opportunity_id: int
    opportunity_title: str
    organisation_id: int
    session_id: int | None
    session_starts_at: dt.datetime | None
    audience: str
    subject: str
    body: str
    recipient_count: int
    skipped_count: int
    sender_name: str
    sent_at: dt.datetime

    @property
    def audience_label(self) -> str:
        return AUDIENCE_LABELS.get(self.audience, self.audience)


# --- who receives a message --------------------------------------------------------------


async def audience_of(
    opportunity_id: int, audience: str, session_id: int | None, now: dt.datetime | None = None
) -> Audiencing:
    """The people a message to `audience` reaches, each once (one query): the places of one
    date, the places of every date still ahead, or a waitlist (one date's, or of every date
    still ahead). Inactive accounts are never written to; those who switched messages off
    are counted, not written to."""
    now = now or utcnow()
    waitlist = audience == Audience.WAITLIST.value
    statuses = [SignUpStatus.WAITLISTED.value] if waitlist else list(HOLDING_STATUSES)
    where = (
        (SignUp.session.opportunity == opportunity_id)
        & SignUp.status.is_in(statuses)
        & SignUp.user.is_active.eq(True)
    )
    if session_id is not None:
        where &= SignUp.session == session_id
    else:
        where &= SignUp.session.starts_at > now
    rows = await SignUp.select(
        SignUp.user.as_alias("user_id"),
        SignUp.user.email.as_alias("email"),
        SignUp.user.display_name.as_alias("name"),
        SignUp.user.language.as_alias("language"),
        SignUp.user.messages_ok.as_alias("messages_ok"),
    ).where(where)
    people: dict[int, Recipient] = {}
    skipped: set[int] = set()
    for row in rows:
        if not row["messages_ok"]:
            skipped.add(row["user_id"])
            continue
        people[row["user_id"]] = Recipient(
            row["user_id"], row["email"], row["name"] or "", row["language"] or "de", waitlist
        )
    return Audiencing([people[key] for key in sorted(people)], len(skipped))


# --- sending ---------------------------------------------------------------------------


def paragraphs(body: str) -> list[list[str]]:
    """The officer's text as paragraphs of lines, for the HTML mail and page (escaped there)."""
    blocks = [block.strip() for block in body.replace("\r\n", "\n").split("\n\n")]
    return [block.splitlines() for block in blocks if block]


def _mail_subject_title(title: str) -> str:
    return title if len(title) <= TITLE_IN_SUBJECT else title[: TITLE_IN_SUBJECT - 1] + "…"


def _email(
    draft: Draft,
    opportunity: dict[str, Any],
    session_row: dict[str, Any] | None,
    person: Recipient,
) -> NewEmail:
    """The link to switch such messages off is in the text and, for mail programs, in the
    `List-Unsubscribe` header with its one-click POST."""
    opt_out = opt_out_url(person.user_id)
    return NewEmail(
        dedupe_key=f"message:{draft.send_key}:{person.user_id}",
        recipient=person.email,
        subject=SUBJECT,
        template="message",
        context={
            "name": person.name,
            "title": opportunity["title"],
            "organisation_name": opportunity["organisation_name"],
            "message_subject": draft.subject,
            "paragraphs": paragraphs(draft.body),
            "body": draft.body,
            "waitlisted": person.waitlisted,
            "starts_at": session_row["starts_at"] if session_row else None,
            "ends_at": session_row["ends_at"] if session_row else None,
            "url": opportunity_url(opportunity["id"]),
            "contact_name": opportunity.get("contact_name") or "",
            "contact_email": opportunity.get("contact_email") or "",
            "opt_out_url": opt_out,
        },
        headers=unsubscribe_headers(opt_out),
        language=person.language,
        subject_args={
            "title": _mail_subject_title(opportunity["title"]),
            "subject": draft.subject,
        },
    )


async def _sender(user_id: int) -> dict[str, Any]:
    row = (
        await User.select(User.email, User.display_name, User.language)
        .where(User.id == user_id)
        .first()
    )
    return row or {"email": "", "display_name": "", "language": "de"}


async def existing_message(send_key: str) -> int | None:
    """The message a repeated form already sent, if any."""
    row = await Message.select(Message.id).where(Message.send_key == send_key).first()
    return row["id"] if row else None


async def send_message(
    opportunity: dict[str, Any],
    session_row: dict[str, Any] | None,
    sender_id: int,
    draft: Draft,
) -> int:
    """Keep the copy, queue one mail per recipient and one copy to the sender, and audit it,
    all in one transaction; returns the message's id. The same form sent again (same
    `send_key`) sends nothing more and returns the first message. Raises NoRecipientsError
    when nobody would receive it (nothing is written then)."""
    if (done := await existing_message(draft.send_key)) is not None:
        return done
    audience = await audience_of(opportunity["id"], draft.audience, draft.session_id)
    if not audience.recipients:
        raise NoRecipientsError(audience.skipped)
    sender = await _sender(sender_id)
    # Rendered before the transaction: SQLite's one writer is not held while templates render.
    rows = render_emails(
        [_email(draft, opportunity, session_row, person) for person in audience.recipients]
    )
    message = Message(
        opportunity=opportunity["id"],
        session=draft.session_id,
        session_starts_at=session_row["starts_at"] if session_row else None,
        sender=sender_id,
        sender_name=sender["display_name"] or "",
        audience=draft.audience,
        subject=draft.subject,
        body=draft.body,
        recipient_count=len(audience.recipients),
        skipped_count=audience.skipped,
        send_key=draft.send_key,
        sent_at=utcnow(),
    )
    try:
        async with write_transaction():
            await message.save()
            for start in range(0, len(rows), EMAIL_ROWS_PER_INSERT):
                await insert_emails(rows[start : start + EMAIL_ROWS_PER_INSERT])
            await _queue_copy(message, opportunity, sender)
            await record(
                Action.PARTICIPANTS_MESSAGED,
                opportunity["id"],
                summary=opportunity["title"],
                count=len(audience.recipients),
            )
    except CONSTRAINT_ERRORS as error:
        if not is_unique_violation(error):
            raise
        # The same form, sent twice at the same moment: the other request sent it.
        if (done := await existing_message(draft.send_key)) is not None:
            return done
        raise
    await wake_delivery()
    return message.id


async def _queue_copy(
    message: Message, opportunity: dict[str, Any], sender: dict[str, Any]
) -> None:
    """The sender's copy by mail, in the sender's language, with the counts and the text."""
    if not sender["email"]:
        return
    await queue_email(
        f"message_copy:{message.id}",
        sender["email"],
        COPY_SUBJECT,
        "message_copy",
        {
            "name": sender["display_name"] or "",
            "title": opportunity["title"],
            "message_subject": message.subject,
            "paragraphs": paragraphs(message.body),
            "body": message.body,
            "audience_label": AUDIENCE_LABELS.get(message.audience, message.audience),
            "session_starts_at": message.session_starts_at,
            "recipient_count": message.recipient_count,
            "skipped_count": message.skipped_count,
            "message_url": site_url("messages:detail", message_id=message.id),
        },
        language=sender["language"] or "de",
        subject_args={"subject": message.subject},
    )


# --- the officer's copy ------------------------------------------------------------------

_ROW_COLUMNS = (
    Message.id,
    Message.opportunity.as_alias("opportunity_id"),
    Message.opportunity.title.as_alias("opportunity_title"),
    Message.opportunity.organisation.as_alias("organisation_id"),
    Message.session.as_alias("session_id"),
    Message.session_starts_at,
    Message.audience,
    Message.subject,
    Message.body,
    Message.recipient_count,
    Message.skipped_count,
    Message.sender_name,
    Message.sent_at,
)


def _row(row: dict[str, Any]) -> MessageRow:
    return MessageRow(**row)


async def message_row(message_id: int) -> MessageRow | None:
    row = await Message.select(*_ROW_COLUMNS).where(Message.id == message_id).first()
    return _row(row) if row else None


async def sent_messages(opportunity_id: int) -> list[MessageRow]:
    """The opportunity's messages, newest first (one query)."""
    rows = (
        await Message.select(*_ROW_COLUMNS)
        .where(Message.opportunity == opportunity_id)
        .order_by(Message.sent_at, ascending=False)
        .order_by(Message.id, ascending=False)
    )
    return [_row(row) for row in rows]


# --- switching messages off ----------------------------------------------------------------


class OptOut(StrEnum):
    """The mails of this domain a person can switch off by a link, without logging in."""

    MESSAGES = "messages"
    """Officers' messages to participants (`User.messages_ok`)."""
    SUMMARY = "signup_summary"
    """The officers' daily sign-up summary (`User.signup_summary_ok`)."""


_SWITCHES = {OptOut.MESSAGES: User.messages_ok, OptOut.SUMMARY: User.signup_summary_ok}
_PAGES = {OptOut.MESSAGES: "messages:opt_out", OptOut.SUMMARY: "messages:summary_opt_out"}


def opt_out_token(user_id: int, kind: OptOut = OptOut.MESSAGES) -> str:
    """A key that works without logging in and only for this person's switch of `kind`."""
    message = f"{kind.value}_opt_out:{user_id}".encode()
    return hmac.new(get_settings().secret_key.encode(), message, hashlib.sha256).hexdigest()[:32]


def opt_out_url(user_id: int, kind: OptOut = OptOut.MESSAGES) -> str:
    """The key goes into the query (`?token=`), which the logs redact like every key."""
    page = site_url(_PAGES[kind], user_id=user_id)
    return f"{page}?token={opt_out_token(user_id, kind)}"


def valid_opt_out(user_id: int, token: str, kind: OptOut = OptOut.MESSAGES) -> bool:
    return hmac.compare_digest(opt_out_token(user_id, kind), token)


async def receiving(user_id: int, kind: OptOut = OptOut.MESSAGES) -> bool | None:
    """Whether the person still receives mails of `kind`; None when there is no such account."""
    switch = _SWITCHES[kind]
    row = await User.select(switch).where(User.id == user_id).first()
    return None if row is None else bool(row[switch._meta.name])


async def messages_ok(user_id: int) -> bool | None:
    return await receiving(user_id, OptOut.MESSAGES)


async def opt_out(user_id: int, kind: OptOut = OptOut.MESSAGES) -> None:
    """Idempotent: a second click changes nothing."""
    async with write_transaction():
        await User.update({_SWITCHES[kind]: False}).where(User.id == user_id)
