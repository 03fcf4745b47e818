"""The shapes of the hand-written demo catalogue: organisations, venues and offers."""

from __future__ import annotations

from dataclasses import dataclass

from boerse.opportunities.tables import Mode, OpportunityStatus


@dataclass(frozen=True)
class Slot:
    """A session relative to the day of loading, so the demo always has past and future dates."""

    day_offset: int
    start: str
    hours: float
    location_note: str = ""
    weekday: str = ""
    """Moves the date to the nearest such day ("sat"), for offers that name their weekday."""


@dataclass(frozen=True)
class Venue:
    name: str
    street: str
    postcode: str
    latitude: float
    longitude: float
    accessibility: str


@dataclass(frozen=True)
class Officer:
    email: str
    name: str
    phone: str


@dataclass(frozen=True)
class Org:
    key: str
    name: str
    kind: str
    description: str
    website: str
    officers: tuple[Officer, ...]


@dataclass(frozen=True)
class Offer:
    """One opportunity; `venue` None means online. `demand` is the share of seats that future
    sessions fill (above 1.0 the session is full and the rest wait on the waitlist)."""

    org: str
    mode: Mode
    field: str
    title: str
    summary: str
    description: str
    outcome_goal: str
    venue: str | None
    slots: tuple[Slot, ...]
    capacity: int
    required: tuple[str, ...] = ()
    desired: tuple[str, ...] = ()
    languages: tuple[str, ...] = ("de",)
    accessibility: str = ""
    min_age: int | None = None
    status: OpportunityStatus = OpportunityStatus.PUBLISHED
    demand: float = 0.6
    weekday: str = ""


def slots(*specs: tuple) -> tuple[Slot, ...]:
    """Compact notation for the catalogue: `slots((-14, "10:00", 2), (7, "18:00", 1.5))`."""
    return tuple(Slot(*spec) for spec in specs)
