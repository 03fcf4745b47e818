"""The denormalised matching index: one flat row per published opportunity and per resident.

Everything a score needs sits in one row as plain numbers — sets of slugs become integer
bitmasks (bit positions in `boerse.matching.index.BITS`), so a query needs no joins and
the database itself can compute an upper bound of the score (see `boerse.matching.bounds`).
The rows are derived data: `boerse.matching.index` rebuilds them from the source tables,
and the services of profiles and opportunities refresh them in the transaction of every
change. The composite indexes are created by hand in a raw migration."""

from piccolo.columns import (
    BigInt,
    Boolean,
    Float,
    ForeignKey,
    Integer,
    OnDelete,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

from boerse.accounts.tables import User
from boerse.opportunities.tables import Opportunity


class OpportunityMatch(Table):
    """A published opportunity as the matcher sees it (no row for drafts or closed ones)."""

    opportunity = ForeignKey(Opportunity, null=False, unique=True, on_delete=OnDelete.cascade)
    mode = Varchar(length=20)
    field_bit = BigInt(default=0)
    """1 << position of its field of action."""
    is_online = Boolean(default=False)
    latitude = Float(null=True, default=None)
    longitude = Float(null=True, default=None)
    reach_km = Float(null=True, default=None)
    required_mask = BigInt(default=0)
    desired_mask = BigInt(default=0)
    """Desired skills that are not also required."""
    skills_weight = Integer(default=0)
    """2·|required| + |desired|: the denominator of the skills part."""
    windows_mask = BigInt(default=0)
    """Weekly windows its future sessions fall into."""
    windows_count = Integer(default=0)
    hours_per_month = Float(default=0.0)
    languages_mask = BigInt(default=0)
    min_age = Integer(null=True, default=None)
    free_until = Timestamptz(null=True, default=None)
    """Start of its LAST session with a free place: while it lies in the future, some future
    session has a free place, so the row stays right as time passes without a rewrite."""
    last_start = Timestamptz(null=True, default=None)
    """Start of its last session at all: an online offer after it counts as ongoing."""
    access_mask = BigInt(default=0)
    """The accessibility features it offers (bits of `index.BITS["access"]`)."""


class ResidentMatch(Table):
    """A resident's profile as the matcher sees it; coordinates are the coarse ones."""

    user = ForeignKey(User, null=False, unique=True, on_delete=OnDelete.cascade)
    latitude = Float(null=True, default=None)
    longitude = Float(null=True, default=None)
    radius_km = Float(default=10.0)
    radius_band = Integer(default=0)
    """Index of the smallest `RADIUS_BANDS` bound ≥ radius: the spatial key of candidates."""
    interests_mask = BigInt(default=0)
    skills_mask = BigInt(default=0)
    """Curated skills only: opportunities can ask for nothing else."""
    windows_mask = BigInt(default=0)
    windows_count = Integer(default=0)
    hours_per_month = Integer(default=0)
    languages_mask = BigInt(default=0)
    """Languages as given; 0 means none given (scoring then assumes German)."""
    birth_year = Integer(null=True, default=None)
    contact_ok = Boolean(default=False)
    access_needs_mask = BigInt(default=0)
    """The accessibility needs an offer must meet, a hard filter: the profile's needs when
    the person switched on "only offers that meet all my needs", else 0 (no filter)."""
