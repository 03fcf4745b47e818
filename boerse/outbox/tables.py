"""The mail outbox: every email is a row first, written in the transaction of its cause.

The table is also the delivery queue: a worker claims due rows with a lease (`lease_until`,
`claim_token`) and marks each one sent as soon as the mail server accepted it. Redis only
wakes the workers; losing it loses no mail."""

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
    next_attempt_at = Timestamptz(null=True, default=None)
    """A pending row is due from this moment on (set at queueing, pushed back after a failure)."""
    lease_until = Timestamptz(null=True, default=None)
    """A `sending` row belongs to the worker that claimed it until then; afterwards anyone may."""
    claim_token = Varchar(length=32, default="")
    """Names the claim, so a worker releases only rows it still holds."""
    failed_at = Timestamptz(null=True, default=None)
    """When delivery gave up on the mail (for the hourly figures of the admin page)."""
    message_id = Varchar(length=200, default="")
    """The Message-ID header: the same for every send of this row, so a repeat is recognisable."""
    headers = Text(default="")
    """Further headers of the mail as a JSON object (name → value), e.g. `List-Unsubscribe`;
    empty for most mails. Only the names in `boerse.lib.mail.EXTRA_HEADERS` are allowed."""
