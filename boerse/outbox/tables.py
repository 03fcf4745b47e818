"""The mail outbox: every email is a row first, written in the transaction of its cause."""

from enum import StrEnum

from piccolo.columns import Integer, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class OutboxEmail(Table):
    """`dedupe_key` is unique: the same cause (e.g. `reminder:42`) can never queue a second mail."""

    dedupe_key = Varchar(length=120, unique=True)
    recipient = Varchar(length=254)
    subject = Varchar(length=250)
    body_text = Text()
    body_html = Text(default="")
    ics = Text(default="")
    status = Varchar(length=20, default=OutboxStatus.PENDING.value, index=True)
    attempts = Integer(default=0)
    last_error = Varchar(length=500, default="")
    created_at = Timestamptz(default=TimestamptzNow())
    claimed_at = Timestamptz(null=True, default=None)
    sent_at = Timestamptz(null=True, default=None)
