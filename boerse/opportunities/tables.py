"""Opportunities to co-produce, their dated sessions and the residents signed up for them."""

from enum import StrEnum

from piccolo.columns import (
    Array,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    OnDelete,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from boerse.accounts.tables import Organisation, User
from boerse.profiles.tables import FieldOfAction, Skill


class Mode(StrEnum):
    """The four MITs of co-production."""

    CO_COMMISSION = "co_commission"
    CO_DESIGN = "co_design"
    CO_DELIVER = "co_deliver"
    CO_ASSESS = "co_assess"


class OpportunityStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"


class Opportunity(Table):
    organisation = ForeignKey(Organisation, null=False, on_delete=OnDelete.restrict, index=True)
    created_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null)
    title = Varchar(length=150)
    summary = Varchar(length=300, default="")
    description = Text(default="")
    mode = Varchar(length=20, index=True)
    field = ForeignKey(FieldOfAction, null=False, on_delete=OnDelete.restrict, index=True)
    outcome_goal = Text(default="")
    is_online = Boolean(default=False)
    address = Varchar(length=200, default="")
    postcode = Varchar(length=10, default="")
    locality = Varchar(length=100, default="")
    latitude = Float(null=True, default=None)
    longitude = Float(null=True, default=None)
    languages = Array(base_column=Varchar(length=10), default=list)
    accessibility = Text(default="")
    accessibility_features = Array(base_column=Varchar(length=30), default=list)
    """Slugs of `boerse.profiles.accessibility.ACCESSIBILITY` the place and the work offer."""
    max_companions = Integer(default=0)
    """How many further people one sign-up may bring ("mit N weiteren Personen"); 0 = none."""
    remind_day_before = Boolean(default=True)
    remind_two_hours = Boolean(default=False)
    min_age = Integer(null=True, default=None)
    reach_km = Integer(null=True, default=None)
    """The opportunity's own radius: it is recommended only to residents this close."""
    hours_per_month = Float(null=True, default=None)
    """Hours a month the opportunity asks for; when empty, matching derives them from the
    dates (an ongoing or online offer has none to derive them from)."""
    contact_name = Varchar(length=100, default="")
    contact_email = Varchar(length=254, default="")
    contact_phone = Varchar(length=50, default="")
    status = Varchar(length=20, default=OpportunityStatus.DRAFT.value, index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    published_at = Timestamptz(null=True, default=None)
    next_starts_at = Timestamptz(null=True, default=None)
    """The next date's start as last computed, for the public list's order and count; kept by
    `boerse.opportunities.next_dates` (a value in the past is stale, see there)."""


class OpportunitySkill(Table):
    """A skill an opportunity asks for; `required` ones weigh more than desired ones."""

    opportunity = ForeignKey(Opportunity, null=False, on_delete=OnDelete.cascade, index=True)
    skill = ForeignKey(Skill, null=False, on_delete=OnDelete.cascade, index=True)
    required = Boolean(default=True)


class SeriesFrequency(StrEnum):
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY_WEEKDAY = "monthly_weekday"
    """The same weekday of the month as the first date (e.g. every second Tuesday)."""


class OpportunitySeries(Table):
    """A rule that made a run of dates; the dates themselves are ordinary sessions pointing
    here, so a single date can be moved or cancelled like any other."""

    opportunity = ForeignKey(Opportunity, null=False, on_delete=OnDelete.cascade, index=True)
    frequency = Varchar(length=20)
    first_date = Date()
    until_date = Date(null=True, default=None)
    count = Integer(null=True, default=None)
    start_time = Varchar(length=5)
    """Local time in Europe/Berlin, "HH:MM"."""
    duration_minutes = Integer()
    capacity = Integer(default=10)
    location_note = Varchar(length=200, default="")
    exceptions = Array(base_column=Varchar(length=10), default=list)
    """ISO dates left out of the rule."""
    created_at = Timestamptz(default=TimestamptzNow())


class OpportunitySession(Table):
    """A dated session. `seats_taken` is a counter so that one conditional UPDATE guards capacity."""

    opportunity = ForeignKey(Opportunity, null=False, on_delete=OnDelete.cascade, index=True)
    series = ForeignKey(OpportunitySeries, null=True, on_delete=OnDelete.set_null, index=True)
    checkin_code = Varchar(length=12, default="", index=True)
    """Short code shown at the place (and as a QR code) that marks a participant present."""
    starts_at = Timestamptz(index=True)
    ends_at = Timestamptz(index=True)
    capacity = Integer(default=10)
    seats_taken = Integer(default=0)
    location_note = Varchar(length=200, default="")


class SignUpStatus(StrEnum):
    REGISTERED = "registered"
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"


# The statuses that hold a place (a waitlisted sign-up does not).
HOLDING_STATUSES = (SignUpStatus.REGISTERED.value, SignUpStatus.CONFIRMED.value)


class Attendance(StrEnum):
    ATTENDED = "attended"
    ABSENT = "absent"


class SignUp(Table):
    """One resident for one session; re-signing after a cancellation reuses the row."""

    session = ForeignKey(OpportunitySession, null=False, on_delete=OnDelete.cascade, index=True)
    user = ForeignKey(User, null=False, on_delete=OnDelete.cascade, index=True)
    status = Varchar(length=20, default=SignUpStatus.REGISTERED.value, index=True)
    attendance = Varchar(length=20, null=True, default=None)
    hours = Float(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    signed_up_at = Timestamptz(default=TimestamptzNow(), index=True)
    """The last (re)sign-up: set again when someone signs up after cancelling, which reuses
    the row and so its `created_at` (the officers' daily summary reports by this)."""
    waitlisted_at = Timestamptz(null=True, default=None)
    companions = Integer(default=0)
    """Further people this sign-up brings; it holds 1 + companions places."""
    checked_in_at = Timestamptz(null=True, default=None)
    checkin_method = Varchar(length=10, default="")
    """How presence was recorded: code, officer or walkin."""
    link_hash = Varchar(length=64, null=True, default=None, index=True)
    """SHA-256 of the personal link in the confirmation mail (manage, cancel, check in)."""
