"""SQL for the matching index: spatial pre-filters and an upper bound of the score per row.

The services let the database rank the rows by a bound that is never below the real
score (`scoring.score`), read them page by page in that order and stop as soon as the
k-th best real score beats the bound of everything not yet read (the threshold
algorithm). The bound mirrors the formula in `boerse.matching.scoring` part by part:
interest, skills and time are computed exactly from the bitmasks (integer bit arithmetic
that SQLite and PostgreSQL share); only distance is bounded, from a lower bound of the
great-circle distance. So the bound is tight, the first page is nearly always the last,
and Python scores a few dozen rows instead of thousands. If scoring.py changes its
formula, this module must follow (tests/matching/test_index.py checks the bound).

Every number put into the SQL text is produced here from floats and ints, never from
user input; strings (the mode filter) travel as query parameters."""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterable

from geopy.distance import EARTH_RADIUS

from boerse.lib import geo
from boerse.lib.db import is_sqlite
from boerse.matching.index import RADIUS_BANDS, bit_positions, bits, german_bit
from boerse.matching.scoring import NEUTRAL, Weights, distance_part

KM_PER_DEGREE = math.radians(1.0) * EARTH_RADIUS
SAFETY = 0.99
"""The planar distance below, shrunk by 1 %, stays under the great-circle distance for
anything up to a few hundred kilometres (the planar error there is < 0.1 %)."""
EPSILON = 1e-9
"""Float slack between the bound computed in SQL and the score computed in Python."""


def _has_sqrt() -> bool:
    """SQLite has sqrt() only when built with its math functions (Debian's and python.org's
    are); otherwise the bound falls back to a ladder of thresholds."""
    try:
        sqlite3.connect(":memory:").execute("SELECT sqrt(4.0)")
    except sqlite3.OperationalError:
        return False
    return True


SQLITE_HAS_SQRT = _has_sqrt()
LADDER_KM = (0.5, 1, 1.5, 2, 3, 4, 5, 7, 10, 15, 20, 30, 50, 75)


_FLOAT_SUFFIX = "" if is_sqlite() else "::float8"


def num(value: float) -> str:
    """A float as SQL text that reads back as exactly the same float — a double on
    PostgreSQL too, where a bare 0.3 would be `numeric` (slow, and returned as Decimal)."""
    return f"{float(value)!r}{_FLOAT_SUFFIX}"


ONE, ZERO = num(1.0), num(0.0)


def distance_sq(latitude: float, longitude: float, max_abs_latitude: float) -> str:
    """A lower bound of the squared great-circle distance (km²) from a fixed point to the
    row's `latitude`/`longitude`: planar, with the longitude shrunk by the cosine of the
    most polar latitude the query can reach, times SAFETY."""
    cos_min = math.cos(math.radians(min(abs(max_abs_latitude), 89.0)))
    lat_factor = (KM_PER_DEGREE * SAFETY) ** 2
    lon_factor = (KM_PER_DEGREE * SAFETY * cos_min) ** 2
    dlat = f"(latitude - {num(latitude)})"
    dlon = f"(longitude - {num(longitude)})"
    return f"({dlat} * {dlat} * {num(lat_factor)} + {dlon} * {dlon} * {num(lon_factor)})"


def distance_bound(d_sq: str, weights: Weights, sqrt: bool = True) -> str:
    """w · 1 / (1 + d / half) at the lower bound of d: never below the real distance part."""
    w_distance = weights.normalised[0]
    half = weights.distance_half_km
    if half <= 0:
        return num(w_distance)
    if sqrt:
        return f"({num(w_distance)} / ({ONE} + sqrt({d_sq}) / {num(half)}))"
    steps = " ".join(
        f"WHEN {d_sq} < {num(high * high)} THEN {num(w_distance * distance_part(low, half))}"
        for low, high in zip((0.0, *LADDER_KM), LADDER_KM, strict=False)
    )
    last = num(w_distance * distance_part(LADDER_KM[-1], half))
    return f"(CASE {steps} ELSE {last} END)"


def _bit_sum(column: str, positions: Iterable[int], factor: int = 1) -> list[str]:
    scale = f" * {factor}" if factor != 1 else ""
    return [f"(({column} >> {i}) & 1){scale}" for i in positions]


def _ratio(terms: list[str], denominator: str) -> str:
    if not terms:
        return ZERO
    return f"(({' + '.join(terms)}) * {ONE} / {denominator})"


# --- recommendations: the resident is fixed, rows are opportunities ------------------------


def opportunity_bound(resident: dict, weights: Weights, d_sq: str, sqrt: bool) -> str:
    """The upper bound of the score of each opportunity row for one resident."""
    w_distance, w_interest, w_skills, w_time = weights.normalised
    distance = (
        f"(CASE WHEN is_online = TRUE THEN {num(w_distance)} "
        f"ELSE {distance_bound(d_sq, weights, sqrt)} END)"
    )
    interest = (
        f"(CASE WHEN (field_bit & {resident['interests_mask']}) <> 0 "
        f"THEN {num(w_interest)} ELSE {ZERO} END)"
    )
    skills_positions = bit_positions(resident["skills_mask"])
    have = _bit_sum("required_mask", skills_positions, 2) + _bit_sum(
        "desired_mask", skills_positions
    )
    skills = (
        f"(CASE WHEN skills_weight = 0 THEN {num(NEUTRAL)} "
        f"ELSE {_ratio(have, 'skills_weight')} END)"
    )
    if resident["windows_mask"]:
        matched = _bit_sum("windows_mask", bit_positions(resident["windows_mask"]))
        share = (
            f"(CASE WHEN windows_count = 0 THEN {num(NEUTRAL)} "
            f"ELSE {_ratio(matched, 'windows_count')} END)"
        )
    else:
        share = num(NEUTRAL)
    offered = int(resident["hours_per_month"] or 0)
    if offered > 0:
        hours = (
            f"(CASE WHEN hours_per_month <= {offered} THEN {ONE} "
            f"ELSE {offered} * {ONE} / hours_per_month END)"
        )
    else:
        hours = f"(CASE WHEN hours_per_month <= 0 THEN {ONE} ELSE {num(NEUTRAL)} END)"
    return (
        f"({distance} + {interest} + {num(w_skills)} * {skills} "
        f"+ {num(w_time)} * {share} * {hours})"
    )


def opportunity_phases(resident: dict, weights: Weights) -> list[tuple[str, float]]:
    """Offers in the resident's fields first; the others can score at most the distance,
    skills and time weights, and less when the resident has no skills or windows."""
    w_distance, _w_interest, w_skills, w_time = weights.normalised
    interests = resident["interests_mask"]
    skills_max = 1.0 if resident["skills_mask"] else NEUTRAL
    share_max = 1.0 if resident["windows_mask"] else NEUTRAL
    ceiling = w_distance + w_skills * skills_max + w_time * share_max
    every = sorted(bits("fields").values())
    own = [bit for bit in every if bit & interests]
    others = [0, *(bit for bit in every if not bit & interests)]
    phases = [(_in("field_bit", own), 1.0)] if own else []
    return [*phases, (_in("field_bit", others), ceiling)]


def _in(column: str, values: list[int]) -> str:
    return f"{column} IN ({', '.join(str(int(v)) for v in values)})"


def opportunity_place_filter(resident: dict, d_sq: str, fields: str) -> str:
    """Offers of the phase's fields inside the resident's box (and circle, by the lower
    bound) or online ones. The field list is an IN on purpose and sits in both branches:
    each (branch, field) pair is then one seek into the (is_online, field_bit, latitude,
    longitude) index, so a phase walks only its own fields' offers."""
    box = geo.bounding_box(resident["latitude"], resident["longitude"], resident["radius_km"])
    radius_sq = num(resident["radius_km"] ** 2)
    return (
        f"((is_online = FALSE AND {fields}"
        f" AND latitude BETWEEN {num(box.min_latitude)} AND {num(box.max_latitude)}"
        f" AND longitude BETWEEN {num(box.min_longitude)} AND {num(box.max_longitude)}"
        f" AND {d_sq} <= {radius_sq}"
        f" AND (reach_km IS NULL OR {d_sq} <= reach_km * reach_km))"
        f" OR (is_online = TRUE AND {fields}))"
    )


def opportunity_language_filter(resident: dict) -> str:
    """An offer that names languages needs one the resident speaks (German if none given)."""
    spoken = resident["languages_mask"] or german_bit()
    return f"(languages_mask = 0 OR (languages_mask & {spoken}) <> 0)"


# --- candidates: the opportunity is fixed, rows are residents ------------------------------


def resident_bound(opportunity: dict, weights: Weights, d_sq: str | None, sqrt: bool) -> str:
    """The upper bound of the score of each resident row for one opportunity."""
    w_distance, w_interest, w_skills, w_time = weights.normalised
    distance = num(w_distance) if d_sq is None else distance_bound(d_sq, weights, sqrt)
    interest = (
        f"(CASE WHEN (interests_mask & {opportunity['field_bit']}) <> 0 "
        f"THEN {num(w_interest)} ELSE {ZERO} END)"
    )
    asked = opportunity["skills_weight"]
    if asked:
        have = _bit_sum("skills_mask", bit_positions(opportunity["required_mask"]), 2)
        have += _bit_sum("skills_mask", bit_positions(opportunity["desired_mask"]))
        skills = _ratio(have, str(asked))
    else:
        skills = num(NEUTRAL)
    if opportunity["windows_count"]:
        matched = _bit_sum("windows_mask", bit_positions(opportunity["windows_mask"]))
        share = (
            f"(CASE WHEN windows_mask = 0 THEN {num(NEUTRAL)} "
            f"ELSE {_ratio(matched, str(opportunity['windows_count']))} END)"
        )
    else:
        share = num(NEUTRAL)
    needed = float(opportunity["hours_per_month"] or 0.0)
    hours = (
        f"(CASE WHEN hours_per_month >= {num(needed)} THEN {ONE} "
        f"WHEN hours_per_month <= 0 THEN {num(NEUTRAL)} "
        f"ELSE hours_per_month * {ONE} / {num(needed)} END)"
    )
    return (
        f"({distance} + {interest} + {num(w_skills)} * {skills} "
        f"+ {num(w_time)} * {share} * {hours})"
    )


def resident_phases(opportunity: dict, weights: Weights) -> list[tuple[str, float]]:
    """Residents interested in the offer's field first; the others can score at most the
    distance, skills and time weights (less when it asks no skills or has no windows)."""
    w_distance, _w_interest, w_skills, w_time = weights.normalised
    field = opportunity["field_bit"]
    skills_max = 1.0 if opportunity["skills_weight"] else NEUTRAL
    share_max = 1.0 if opportunity["windows_count"] else NEUTRAL
    ceiling = w_distance + w_skills * skills_max + w_time * share_max
    if not field:
        return [("TRUE", ceiling)]
    return [(f"(interests_mask & {field}) <> 0", 1.0), (f"(interests_mask & {field}) = 0", ceiling)]


def resident_place_filter(opportunity: dict, d_sq: str) -> str:
    """Residents whose own radius reaches the offer (and who live within its reach).

    One branch per radius band: a resident of band b has a radius of at most its bound,
    so their home lies in the box of that bound around the offer — a tight range of the
    (contact_ok, radius_band, latitude, longitude) index for each band."""
    latitude, longitude = opportunity["latitude"], opportunity["longitude"]
    reach = opportunity["reach_km"]
    branches = []
    for band, bound in enumerate(RADIUS_BANDS):
        if reach is not None:
            bound = min(bound, float(reach))
        box = geo.bounding_box(latitude, longitude, bound)
        branches.append(
            f"(contact_ok = TRUE AND radius_band = {band}"
            f" AND latitude BETWEEN {num(box.min_latitude)} AND {num(box.max_latitude)}"
            f" AND longitude BETWEEN {num(box.min_longitude)} AND {num(box.max_longitude)})"
        )
    reach_filter = f" AND {d_sq} <= {num(float(reach) ** 2)}" if reach is not None else ""
    return f"({' OR '.join(branches)}) AND {d_sq} <= radius_km * radius_km{reach_filter}"


def resident_language_filter(opportunity: dict) -> str | None:
    if not opportunity["languages_mask"]:
        return None
    return (
        f"((CASE WHEN languages_mask = 0 THEN {german_bit()} ELSE languages_mask END)"
        f" & {opportunity['languages_mask']}) <> 0"
    )
