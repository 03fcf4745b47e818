"""Profiles: what residents bring (skills, interests, time) and roughly where they live."""

from piccolo.columns import (
    Array,
    Boolean,
    Float,
    ForeignKey,
    Integer,
    OnDelete,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from boerse.accounts.tables import User


class FieldOfAction(Table):
    """A field of action (Handlungsfeld) such as environment or youth; a curated taxonomy."""

    slug = Varchar(length=50, unique=True)
    name = Varchar(length=100)
    position = Integer(default=0)
    retired_at = Timestamptz(null=True, default=None)
    """Retired by an admin: no longer offered for new choices; what profiles and
    opportunities already hold keeps showing it."""
    match_bit = Integer(null=True, default=None)
    """Its bit in the matching index's masks (`boerse.matching.index`): given once, when the
    entry joins the taxonomy, never changed or reused, so index rows stay right whatever an
    administrator adds, renames or retires (unique, by a hand-written index)."""


class Skill(Table):
    """A skill; curated ones are offered as checkboxes, residents may add their own tags."""

    slug = Varchar(length=80, unique=True)
    name = Varchar(length=100)
    curated = Boolean(default=False, index=True)
    retired_at = Timestamptz(null=True, default=None)
    """Retired by an admin (see `FieldOfAction.retired_at`)."""
    match_bit = Integer(null=True, default=None)
    """Curated skills only (see `FieldOfAction.match_bit`); residents' own tags have none."""


class Language(Table):
    """A language residents can offer and opportunities can be held in; admins keep the list.
    `code` is what profiles and opportunities store."""

    code = Varchar(length=10, unique=True)
    name = Varchar(length=100)
    position = Integer(default=0)
    retired_at = Timestamptz(null=True, default=None)
    match_bit = Integer(null=True, default=None)
    """See `FieldOfAction.match_bit`."""


class Profile(Table):
    """One per resident. Only coarse coordinates are kept, never the street address."""

    user = ForeignKey(User, null=False, unique=True, on_delete=OnDelete.cascade)
    postcode = Varchar(length=10, default="")
    locality = Varchar(length=100, default="")
    latitude = Float(null=True, default=None)
    longitude = Float(null=True, default=None)
    travel_radius_km = Integer(default=10)
    hours_per_month = Integer(default=4)
    time_windows = Array(base_column=Varchar(length=20), default=list)
    languages = Array(base_column=Varchar(length=10), default=list)
    birth_year = Integer(null=True, default=None)
    contact_ok = Boolean(default=False)
    digest_ok = Boolean(default=False)
    """Opted in to the weekly email of new matching opportunities."""
    accessibility_needs = Array(base_column=Varchar(length=30), default=list)
    """Slugs of `boerse.profiles.accessibility.ACCESSIBILITY`; shown only to the organiser of
    a date the person signed up for."""
    accessible_only = Boolean(default=False)
    """Recommend and list only opportunities that offer every need above (a hard filter)."""
    updated_at = Timestamptz(default=TimestamptzNow())


class ProfileSkill(Table):
    profile = ForeignKey(Profile, null=False, on_delete=OnDelete.cascade, index=True)
    skill = ForeignKey(Skill, null=False, on_delete=OnDelete.cascade, index=True)


class ProfileInterest(Table):
    profile = ForeignKey(Profile, null=False, on_delete=OnDelete.cascade, index=True)
    field = ForeignKey(FieldOfAction, null=False, on_delete=OnDelete.cascade, index=True)
