"""Hours a resident reports for ongoing work, and the certificates (Engagementnachweise) issued."""

from enum import StrEnum

from piccolo.columns import Date, Float, ForeignKey, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from boerse.accounts.tables import User
from boerse.opportunities.tables import Opportunity


class ReportStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    CORRECTED = "corrected"
    """Confirmed with other hours than reported; `reason` says why."""
    REJECTED = "rejected"


# Only these count towards the record, its totals and certificates.
COUNTING_STATUSES = (ReportStatus.CONFIRMED.value, ReportStatus.CORRECTED.value)


class HoursReport(Table):
    """Hours of ongoing work (not tied to one date) that a resident reports for an
    opportunity; an officer of the organising body confirms, corrects or rejects them."""

    user = ForeignKey(User, null=False, on_delete=OnDelete.cascade, index=True)
    opportunity = ForeignKey(Opportunity, null=False, on_delete=OnDelete.cascade, index=True)
    first_day = Date()
    last_day = Date()
    """The same as `first_day` for a single day; a period stays within one calendar year."""
    hours = Float()
    """As reported."""
    note = Varchar(length=300, default="")
    status = Varchar(length=20, default=ReportStatus.PENDING.value, index=True)
    confirmed_hours = Float(null=True, default=None)
    """What counts: the reported hours when confirmed, the officer's figure when corrected."""
    reason = Text(default="")
    """The officer's reason for a correction or rejection, shown to the resident."""
    decided_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null)
    decided_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class Certificate(Table):
    """An issued Engagementnachweis. The lines are kept as printed so that the same PDF can be
    downloaded again and the verification page never depends on later changes; `signature`
    is an HMAC of all of it under the secret key, so an edited row is not confirmed."""

    code = Varchar(length=20, unique=True)
    """16 characters of Crockford base32 (80 random bits), stored without separators."""
    user = ForeignKey(User, null=False, on_delete=OnDelete.cascade, index=True)
    holder_name = Varchar(length=100)
    period_start = Date()
    period_end = Date()
    total_hours = Float()
    lines = Text(default="[]")
    """JSON list of the printed lines (organisation, opportunity, dates, hours)."""
    issuer = Varchar(length=300)
    """Town and office as printed."""
    issued_at = Timestamptz(default=TimestamptzNow())
    signature = Varchar(length=64)
    revoked_at = Timestamptz(null=True, default=None)
