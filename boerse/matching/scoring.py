"""Matching scores: pure functions, no database, so every rule can be tested on its own.

INTERFACE (the lead's contract; the implementation may change, the names and meanings stay):
- `ResidentFacts` / `OpportunityFacts`: everything a score needs, plain values.
- `Weights.from_settings()`: the documented weights (see README "Matching").
- `passes_hard_filters(resident, opportunity, distance_km)`: radius(es), language, minimum
  age, free place, accessibility needs (when the resident asks for it) — a resident never
  sees an opportunity that fails one.
- `score(resident, opportunity, weights, distance_km)`: `Match` or None (hard filter failed).
- `reason_text(match)`: the short German reason, e.g.
  "2,4 km entfernt · Ihr Interesse: Umwelt und Klima · passt zu: Samstag vormittags ·
  Ihre Fähigkeit: Gärtnern" — it names only things that are true.
- `distance_band(distance_km)`: the coarse band officers see ("unter 5 km").
- `score_value(...)`: the same number as `score(...).score` without building a `Match`.

THE RULES
`distance_km` is computed by the caller (`boerse.lib.geo.distance_km`, great-circle);
None means online, and an opportunity with `is_online` is online whatever distance is given.

Hard filters (any failure → no `Match` at all):
- a free place (`has_free_place`); sessions in the future are the caller's part;
- distance ≤ the resident's radius and ≤ the opportunity's `reach_km` if it has one;
  online opportunities pass both;
- language: if the opportunity lists languages the resident must speak one of them; a
  resident who gave no languages counts as a German speaker ("de");
- minimum age: refused only when the resident's age is known and lower;
- accessibility: a resident who switched on "only offers that meet all my needs" sees only
  offers whose features include every one of their needs (`ResidentFacts.access_needs` is
  empty when the switch is off).

Score = Σ weightᵢ · partᵢ with the weights divided by their sum (negative weights count as
0, all-zero weights as equal), every part in [0, 1], so the score is in [0, 1] whatever a
town configures:
- distance: 1 / (1 + d / half_km) — 1 at the door, ½ at `half_km` (5 km), ⅓ at 10 km,
  0.09 at 50 km. Chosen over 0.5 ** (d / half_km) because the exponential is ~0 beyond
  20 km (0.001 at 50 km), so a rural resident with a 50 km radius would get no ordering by
  distance at all; the hyperbola keeps a long tail and needs no `pow`. Online counts as
  near: 1.0.
- interest: 1 when the opportunity's field of action is one of the resident's interests.
- skills: (2·|required ∩ skills| + |desired ∩ skills|) / (2·|required| + |desired|) —
  required skills weigh double; an opportunity that asks for no skill gets a neutral ½.
- time: window share × hours factor. Window share = the share of the opportunity's weekly
  windows that are among the resident's; neutral ½ if the opportunity has no windows
  (online/ongoing) or the resident stated none (not stated is not "never"). Hours factor
  = 1 if the hours asked for a month ≤ the hours offered, else offered / asked; a resident
  offering 0 hours has stated no amount: neutral ½.

With the default weights (0.30/0.30/0.25/0.15) interest weighs as much as the whole
distance part, so within the radius an opportunity in one's field beats an otherwise equal
one outside it however near that one is.

Speed: `score` runs for thousands of pairs per request, so it uses frozenset operations,
precomputed normalised weights and builds the label tuples only for real matches.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from boerse.lib.formatting import decimal
from boerse.lib.i18n import N_, gettext, ngettext
from boerse.profiles.taxonomy import DAY_PARTS, WEEKDAYS, snapshot
from boerse.settings import Settings, get_settings

ONLINE_DISTANCE_PART = 1.0
"""Online counts as near: as good as an opportunity at the door."""
NEUTRAL = 0.5
"""The part given where there is nothing to compare (no skills asked, no windows, no hours)."""
DEFAULT_LANGUAGES = frozenset({"de"})
"""Languages assumed for a resident who gave none."""
REASON_SEPARATOR = " · "
MAX_NAMED = 2
"""At most this many skills or windows are named in a reason, so it stays one short line."""
DISTANCE_BANDS: tuple[tuple[float, str], ...] = (
    (2.0, N_("unter 2 km")),
    (5.0, N_("unter 5 km")),
    (10.0, N_("unter 10 km")),
    (25.0, N_("unter 25 km")),
)
FAR_BAND = N_("weiter als 25 km")


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
    access_needs: frozenset[str] = frozenset()
    """Accessibility slugs an offer must provide (empty: no such filter)."""


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
    access_features: frozenset[str] = frozenset()
    """Accessibility slugs it provides (`boerse.profiles.accessibility`)."""


@dataclass(frozen=True)
class Weights:
    distance: float = 0.30
    interest: float = 0.30
    skills: float = 0.25
    time: float = 0.15
    distance_half_km: float = 5.0
    normalised: tuple[float, float, float, float] = field(
        init=False, repr=False, compare=False, default=(0.25, 0.25, 0.25, 0.25)
    )
    """distance, interest, skills, time divided by their sum: computed once, not per pair."""

    def __post_init__(self) -> None:
        raw = tuple(max(0.0, w) for w in (self.distance, self.interest, self.skills, self.time))
        total = sum(raw)
        normalised = tuple(w / total for w in raw) if total > 0 else (0.25, 0.25, 0.25, 0.25)
        object.__setattr__(self, "normalised", normalised)

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


def passes_hard_filters(
    resident: ResidentFacts, opportunity: OpportunityFacts, distance_km: float | None
) -> bool:
    """True when the resident may see the opportunity at all; the score only orders these."""
    if not opportunity.has_free_place:
        return False
    if distance_km is not None and not opportunity.is_online:
        if distance_km > resident.radius_km:
            return False
        if opportunity.reach_km is not None and distance_km > opportunity.reach_km:
            return False
    if opportunity.languages and opportunity.languages.isdisjoint(
        resident.languages or DEFAULT_LANGUAGES
    ):
        return False
    if resident.access_needs and not resident.access_needs <= opportunity.access_features:
        return False
    return not (
        opportunity.min_age is not None
        and resident.age is not None
        and resident.age < opportunity.min_age
    )


def distance_part(distance_km: float | None, half_km: float) -> float:
    """1 at the door, ½ at `half_km`, a long tail after (see the module docstring)."""
    if distance_km is None:
        return ONLINE_DISTANCE_PART
    if half_km <= 0:
        return 1.0 if distance_km <= 0 else 0.0
    return 1.0 / (1.0 + max(0.0, distance_km) / half_km)


def skills_part(
    skills: frozenset[str], required: frozenset[str], desired: frozenset[str]
) -> tuple[float, frozenset[str], frozenset[str]]:
    """Coverage with required skills counted twice; also the skills that matched."""
    if required and desired and not required.isdisjoint(desired):
        desired = desired - required  # a skill listed twice counts once, as required
    asked = 2 * len(required) + len(desired)
    if not asked:
        return NEUTRAL, frozenset(), frozenset()
    have_required = required & skills
    have_desired = desired & skills
    return (2 * len(have_required) + len(have_desired)) / asked, have_required, have_desired


def time_part(
    resident: ResidentFacts, opportunity: OpportunityFacts
) -> tuple[float, frozenset[str]]:
    """Window share × hours factor; also the windows that matched."""
    wanted = opportunity.windows
    matched: frozenset[str] = frozenset()
    if not wanted or not resident.windows:
        share = NEUTRAL
    else:
        matched = wanted & resident.windows
        share = len(matched) / len(wanted)
    needed, offered = opportunity.hours_per_month, resident.hours_per_month
    if needed <= offered:
        hours = 1.0
    elif offered <= 0:
        hours = NEUTRAL
    else:
        hours = offered / needed
    return share * hours, matched


def score(
    resident: ResidentFacts,
    opportunity: OpportunityFacts,
    weights: Weights,
    distance_km: float | None,
) -> Match | None:
    """The resident's match with the opportunity, or None when a hard filter fails."""
    if not passes_hard_filters(resident, opportunity, distance_km):
        return None
    shown_distance = None if opportunity.is_online else distance_km
    near, interest, skills, time, have_required, have_desired, windows = _weighted_parts(
        resident, opportunity, weights, shown_distance
    )
    return Match(
        score=min(1.0, near + interest + skills + time),
        distance_km=shown_distance,
        matching_interest=opportunity.field if interest else None,
        matching_skills=_skill_order(have_required, have_desired),
        matching_windows=tuple(sorted(windows, key=_window_position)) if windows else (),
        parts={"distance": near, "interest": interest, "skills": skills, "time": time},
    )


def score_value(
    resident: ResidentFacts,
    opportunity: OpportunityFacts,
    weights: Weights,
    distance_km: float | None,
) -> float | None:
    """`score(...).score` without building the `Match`: for ranking many pairs and building
    matches only for the few that are shown (about twice as fast)."""
    if not passes_hard_filters(resident, opportunity, distance_km):
        return None
    near, interest, skills, time, *_ = _weighted_parts(
        resident, opportunity, weights, None if opportunity.is_online else distance_km
    )
    return min(1.0, near + interest + skills + time)


def _weighted_parts(
    resident: ResidentFacts,
    opportunity: OpportunityFacts,
    weights: Weights,
    distance_km: float | None,
) -> tuple[float, float, float, float, frozenset[str], frozenset[str], frozenset[str]]:
    """The four weighted parts and the matched skills (required, desired) and windows."""
    w_distance, w_interest, w_skills, w_time = weights.normalised
    skills, have_required, have_desired = skills_part(
        resident.skills, opportunity.required_skills, opportunity.desired_skills
    )
    time, windows = time_part(resident, opportunity)
    return (
        w_distance * distance_part(distance_km, weights.distance_half_km),
        w_interest if opportunity.field and opportunity.field in resident.interests else 0.0,
        w_skills * skills,
        w_time * time,
        have_required,
        have_desired,
        windows,
    )


def _skill_order(required: frozenset[str], desired: frozenset[str]) -> tuple[str, ...]:
    """Required skills first (they matter more to the organiser), each group sorted."""
    if not required and not desired:
        return ()
    return (*sorted(required), *sorted(desired))


_WINDOW_POSITION = {
    f"{day}-{part}": index * len(DAY_PARTS) + offset
    for index, (day, _) in enumerate(WEEKDAYS)
    for offset, (part, *_) in enumerate(DAY_PARTS)
}


def _window_position(slug: str) -> tuple[int, str]:
    """Monday morning first, so a reason reads in the order of the week."""
    return (_WINDOW_POSITION.get(slug, len(_WINDOW_POSITION)), slug)


_DAY_MSGIDS = dict(WEEKDAYS)
_PART_MSGIDS = {slug: label for slug, label, *_ in DAY_PARTS}

Labels = Mapping[str, Mapping[str, str]]
"""{"fields": {slug: label}, "skills": {slug: label}, "windows": {slug: label}}."""


def _label(kind: str, slug: str, labels: Labels | None) -> str:
    """The caller's label if it has one, else the taxonomy's as this process last read it
    (a built-in entry's msgid translated now, an added or renamed one's name as the
    administrator typed it), else the slug."""
    if labels is not None:
        given = labels.get(kind, {}).get(slug)
        if given:
            return given
    if kind in ("fields", "skills"):
        return snapshot().label_of(kind, slug)
    return _window_label(slug)


def _window_label(slug: str) -> str:
    """'sat-morning' → 'Samstag vormittags'."""
    day, _, part = slug.partition("-")
    if day in _DAY_MSGIDS and part in _PART_MSGIDS:
        return f"{gettext(_DAY_MSGIDS[day])} {gettext(_PART_MSGIDS[part])}"
    return slug


def distance_text(distance_km: float | None) -> str:
    """'2,4 km entfernt', 'unter 1 km entfernt' or 'online'."""
    if distance_km is None:
        return gettext("online")
    if distance_km < 1.0:
        return gettext("unter 1 km entfernt")
    shown = decimal(distance_km, "#,##0.0")
    return gettext("%(distance)s km entfernt") % {"distance": shown}


def reason_text(match: Match, labels: Labels | None = None) -> str:
    """The short reason for a recommendation; every fragment is a fact of this match."""
    fragments = [distance_text(match.distance_km)]
    if match.matching_interest:
        fragments.append(
            gettext("Ihr Interesse: %(field)s")
            % {"field": _label("fields", match.matching_interest, labels)}
        )
    if match.matching_windows:
        named = [_label("windows", slug, labels) for slug in match.matching_windows[:MAX_NAMED]]
        fragments.append(gettext("passt zu: %(windows)s") % {"windows": ", ".join(named)})
    if match.matching_skills:
        named = [_label("skills", slug, labels) for slug in match.matching_skills[:MAX_NAMED]]
        template = ngettext(
            "Ihre Fähigkeit: %(skills)s", "Ihre Fähigkeiten: %(skills)s", len(named)
        )
        fragments.append(template % {"skills": ", ".join(named)})
    return REASON_SEPARATOR.join(fragments)


def distance_band(distance_km: float) -> str:
    """The coarse band officers see instead of a distance that could locate a home."""
    for limit, label in DISTANCE_BANDS:
        if distance_km < limit:
            return gettext(label)
    return gettext(FAR_BAND)
