"""Matching scores: pure functions, no database, so every rule can be tested on its own.

INTERFACE (the lead's contract; the implementation may change, the names and meanings stay):
- `ResidentFacts` / `OpportunityFacts`: everything a score needs, plain values.
- `Weights.from_settings()`: the documented weights (see README "Matching").
- `passes_hard_filters(resident, opportunity, distance_km)`: radius(es), language, minimum
  age, free place — a resident never sees an opportunity that fails one.
- `score(resident, opportunity, weights, distance_km)`: `Match` or None (hard filter failed).
- `reason_text(match)`: the short German reason, e.g.
  "2,4 km entfernt · Ihr Interesse: Umwelt und Klima · passt zu: Samstag vormittags ·
  Ihre Fähigkeit: Gärtnern" — it names only things that are true.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from boerse.settings import Settings, get_settings


@dataclass(frozen=True)
class ResidentFacts:
    latitude: float | None
    longitude: float | None
    radius_km: float
    interests: frozenset[str] = frozenset()
    """Field-of-action slugs."""
    skills: frozenset[str] = frozenset()
    """Skill slugs."""
    windows: frozenset[str] = frozenset()
    """Weekly windows such as 'sat-morning' (boerse.profiles.taxonomy.TIME_WINDOWS)."""
    hours_per_month: int = 0
    languages: frozenset[str] = frozenset()
    age: int | None = None


@dataclass(frozen=True)
class OpportunityFacts:
    latitude: float | None
    longitude: float | None
    is_online: bool = False
    reach_km: float | None = None
    """The opportunity's own radius, if it only wants people from nearby."""
    field: str = ""
    required_skills: frozenset[str] = frozenset()
    desired_skills: frozenset[str] = frozenset()
    windows: frozenset[str] = frozenset()
    """Weekly windows its future sessions fall into."""
    hours_per_month: float = 0.0
    """Hours its future sessions ask for in a month."""
    languages: frozenset[str] = frozenset()
    min_age: int | None = None
    has_free_place: bool = True


@dataclass(frozen=True)
class Weights:
    distance: float = 0.30
    interest: float = 0.30
    skills: float = 0.25
    time: float = 0.15
    distance_half_km: float = 5.0

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> Weights:
        settings = settings or get_settings()
        return cls(
            settings.match_weight_distance,
            settings.match_weight_interest,
            settings.match_weight_skills,
            settings.match_weight_time,
            settings.match_distance_half_km,
        )


@dataclass(frozen=True)
class Match:
    score: float
    """0..1; higher is better."""
    distance_km: float | None
    """None for online opportunities."""
    matching_interest: str | None = None
    matching_skills: tuple[str, ...] = ()
    matching_windows: tuple[str, ...] = ()
    parts: dict[str, float] = field(default_factory=dict)
    """The weighted parts of the score, for explanations and tests."""
