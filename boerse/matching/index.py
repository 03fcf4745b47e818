"""Keeping the matching index fresh: source rows → facts → flat index rows, and back.

Sets of slugs become integer bitmasks. Fields of action, curated skills and languages take
their bit from the taxonomy tables (`match_bit`): every entry has one, built-in or added by
an administrator, given once and never reused, so renaming or retiring an entry leaves
every index row right and an added entry counts like a built-in one (a retired entry keeps
counting for whoever holds it; forms no longer offer it). Windows and accessibility
features are fixed lists whose bits are their positions. Residents' own, non-curated
skills have no bit on purpose: opportunities can only ask for curated skills, so an own
skill never changes a score and leaving it out is exact, not an approximation (an own skill
that an administrator makes curated gets its bit in every holder's row at that moment).

The same pure functions turn source rows into `ResidentFacts`/`OpportunityFacts` for the
index and for anyone who wants the facts without the index (the benchmark's naive
baseline), so both paths agree by construction. The services of profiles and
opportunities call `refresh_resident` / `refresh_opportunity` / `refresh_session` inside
the transaction of each change; `rebuild_index` recomputes everything (demo, CLI)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from piccolo.table import Table

from boerse.lib.db import utcnow, write_transaction
from boerse.lib.formatting import TOWN_TIMEZONE
from boerse.matching.index_tables import OpportunityMatch, ResidentMatch
from boerse.matching.scoring import OpportunityFacts, ResidentFacts
from boerse.opportunities.tables import (
    Opportunity,
    OpportunitySession,
    OpportunitySkill,
    OpportunityStatus,
)
from boerse.profiles.accessibility import ACCESSIBILITY
from boerse.profiles.schemas import MAX_RADIUS_KM
from boerse.profiles.tables import Profile, ProfileInterest, ProfileSkill
from boerse.profiles.taxonomy import (
    CURATED_SKILLS,
    FIELDS_OF_ACTION,
    TIME_WINDOWS,
    Taxonomy,
    current,
    refresh,
    snapshot,
    window_of,
)

Row = dict[str, Any]

# --- slugs ↔ bits ------------------------------------------------------------------------

FIELDS = tuple(slug for slug, _ in FIELDS_OF_ACTION)
"""The built-in fields (tests and the benchmark draw from them); the bits come from the table."""
SKILLS = tuple(slug for slug, _ in CURATED_SKILLS)
WINDOWS = tuple(TIME_WINDOWS)
ACCESS = tuple(slug for slug, _ in ACCESSIBILITY)
FIXED_BITS: dict[str, dict[str, int]] = {
    "windows": {slug: 1 << i for i, slug in enumerate(WINDOWS)},
    "access": {slug: 1 << i for i, slug in enumerate(ACCESS)},
}
ALL_ACCESS = (1 << len(ACCESS)) - 1


def bits(kind: str, taxonomy: Taxonomy | None = None) -> dict[str, int]:
    """slug → bit of one kind: the fixed lists', or the taxonomy's as last read in this
    process (`taxonomy.current()`, which handlers, jobs and the refresh functions await)."""
    fixed = FIXED_BITS.get(kind)
    if fixed is not None:
        return fixed
    return (taxonomy or snapshot()).bits(kind)


def german_bit(taxonomy: Taxonomy | None = None) -> int:
    """The language assumed for residents who gave none (see `scoring.DEFAULT_LANGUAGES`)."""
    return bits("languages", taxonomy).get("de", 0)


RADIUS_BANDS: tuple[float, ...] = (2, 5, 10, 15, 20, 30, 50, 75, MAX_RADIUS_KM)
"""Upper bounds (km) of the residents' radius bands; the profile form allows no more than
the last, so every radius lies within its band's bound."""

HOURS_HORIZON = dt.timedelta(days=30)
"""An offer "asks for" the hours of its sessions in the 30 days from its next session."""


def mask_of(slugs: Iterable[str], kind: str, taxonomy: Taxonomy | None = None) -> int:
    """Unknown slugs (own skills) have no bit and are left out."""
    known = bits(kind, taxonomy)
    mask = 0
    for slug in slugs:
        mask |= known.get(slug, 0)
    return mask


def slugs_of(mask: int, kind: str, taxonomy: Taxonomy | None = None) -> frozenset[str]:
    """Cached per mask: a town has few distinct masks, and scoring thousands of rows
    reuses them."""
    if kind in FIXED_BITS:
        return _fixed_slugs_of(mask, kind)
    return (taxonomy or snapshot()).slugs_of_mask(kind, mask)


@lru_cache(maxsize=8192)
def _fixed_slugs_of(mask: int, kind: str) -> frozenset[str]:
    return frozenset(slug for slug, bit in FIXED_BITS[kind].items() if mask & bit)


def bit_positions(mask: int) -> tuple[int, ...]:
    return tuple(i for i in range(mask.bit_length()) if mask >> i & 1)


def radius_band(radius_km: float) -> int:
    for band, bound in enumerate(RADIUS_BANDS):
        if radius_km <= bound:
            return band
    return len(RADIUS_BANDS) - 1


# --- facts of an opportunity from its sessions ---------------------------------------------


@dataclass(frozen=True)
class SessionFacts:
    """What the index keeps of an opportunity's sessions at the moment of refreshing."""

    windows: frozenset[str]
    hours_per_month: float
    free_until: dt.datetime | None
    last_start: dt.datetime | None


def session_facts(sessions: Sequence[Row], now: dt.datetime) -> SessionFacts:
    """Windows and hours of the FUTURE sessions; `free_until` is the start of the last
    future session with a free place, so "has a free future place" is `free_until > now`
    for as long as nothing changes (time passing included)."""
    future = sorted((s for s in sessions if s["starts_at"] > now), key=lambda s: s["starts_at"])
    windows = set()
    for session in future:
        local = session["starts_at"].astimezone(TOWN_TIMEZONE)
        window = window_of(local.weekday(), local.hour)
        if window:
            windows.add(window)
    hours = 0.0
    if future:
        horizon = future[0]["starts_at"] + HOURS_HORIZON
        hours = sum(
            (s["ends_at"] - s["starts_at"]).total_seconds() / 3600
            for s in future
            if s["starts_at"] < horizon
        )
    free = [s["starts_at"] for s in future if s["seats_taken"] < s["capacity"]]
    starts = [s["starts_at"] for s in sessions]
    return SessionFacts(
        frozenset(windows),
        round(hours, 4),
        max(free) if free else None,
        max(starts) if starts else None,
    )


def is_open(is_online: bool, free_until: Any, last_start: Any, now: dt.datetime) -> bool:
    """A free place in a future session, or an online offer without future dates (ongoing)."""
    if free_until is not None and free_until > now:
        return True
    return bool(is_online) and (last_start is None or last_start <= now)


def opportunity_facts(
    opportunity: Row,
    field_slug: str,
    skills: Sequence[Row],
    sessions: Sequence[Row],
    now: dt.datetime,
) -> OpportunityFacts:
    """Facts straight from the source rows (`skills`: slug + required)."""
    times = session_facts(sessions, now)
    required = frozenset(s["slug"] for s in skills if s["required"])
    return OpportunityFacts(
        latitude=opportunity["latitude"],
        longitude=opportunity["longitude"],
        is_online=bool(opportunity["is_online"]),
        reach_km=opportunity["reach_km"],
        field=field_slug,
        required_skills=required,
        desired_skills=frozenset(s["slug"] for s in skills if not s["required"]) - required,
        windows=times.windows,
        hours_per_month=opportunity.get("hours_per_month") or times.hours_per_month,
        languages=frozenset(opportunity["languages"] or ()),
        min_age=opportunity["min_age"],
        has_free_place=is_open(opportunity["is_online"], times.free_until, times.last_start, now),
        access_features=frozenset(opportunity.get("accessibility_features") or ()),
    )


def opportunity_row(
    opportunity: Row,
    field_slug: str,
    skills: Sequence[Row],
    sessions: Sequence[Row],
    now: dt.datetime,
    taxonomy: Taxonomy | None = None,
) -> Row:
    """The index row of an opportunity (whatever its status; callers decide)."""
    facts = opportunity_facts(opportunity, field_slug, skills, sessions, now)
    times = session_facts(sessions, now)
    required = mask_of(facts.required_skills, "skills", taxonomy)
    desired = mask_of(facts.desired_skills, "skills", taxonomy)
    windows = mask_of(facts.windows, "windows")
    return {
        "opportunity": opportunity["id"],
        "mode": opportunity["mode"],
        "field_bit": bits("fields", taxonomy).get(field_slug, 0),
        "is_online": facts.is_online,
        "latitude": None if facts.is_online else facts.latitude,
        "longitude": None if facts.is_online else facts.longitude,
        "reach_km": facts.reach_km,
        "required_mask": required,
        "desired_mask": desired,
        "skills_weight": 2 * required.bit_count() + desired.bit_count(),
        "windows_mask": windows,
        "windows_count": windows.bit_count(),
        "hours_per_month": facts.hours_per_month,
        "languages_mask": mask_of(facts.languages, "languages", taxonomy),
        "min_age": facts.min_age,
        "free_until": times.free_until,
        "last_start": times.last_start,
        "access_mask": mask_of(facts.access_features, "access"),
    }


def facts_of_opportunity_row(
    row: Mapping[str, Any], taxonomy: Taxonomy | None = None
) -> OpportunityFacts:
    """Back from the index row; only open offers are read, so a place is free."""
    return OpportunityFacts(
        latitude=row["latitude"],
        longitude=row["longitude"],
        is_online=bool(row["is_online"]),
        reach_km=row["reach_km"],
        field=next(iter(slugs_of(row["field_bit"], "fields", taxonomy)), ""),
        required_skills=slugs_of(row["required_mask"], "skills", taxonomy),
        desired_skills=slugs_of(row["desired_mask"], "skills", taxonomy),
        windows=slugs_of(row["windows_mask"], "windows"),
        hours_per_month=row["hours_per_month"],
        languages=slugs_of(row["languages_mask"], "languages", taxonomy),
        min_age=row["min_age"],
        has_free_place=True,
        access_features=slugs_of(row.get("access_mask") or 0, "access"),
    )


# --- facts of a resident -----------------------------------------------------------------


def age_in(year: int, birth_year: int | None) -> int | None:
    """Only the birth year is known: the age reached in the given year."""
    return year - birth_year if birth_year else None


def required_access(profile: Row) -> list[str]:
    """The needs every offer must meet for this person: all of them when they switched on
    the hard filter, none otherwise (then the needs are only shown to organisers)."""
    if not profile.get("accessible_only"):
        return []
    return list(profile.get("accessibility_needs") or ())


def resident_facts(
    profile: Row, skills: Iterable[str], interests: Iterable[str], year: int
) -> ResidentFacts:
    """Facts straight from the profile row and its skill and interest slugs."""
    return ResidentFacts(
        latitude=profile["latitude"],
        longitude=profile["longitude"],
        radius_km=float(profile["travel_radius_km"]),
        interests=frozenset(interests),
        skills=frozenset(skills),
        windows=frozenset(profile["time_windows"] or ()),
        hours_per_month=profile["hours_per_month"] or 0,
        languages=frozenset(profile["languages"] or ()),
        age=age_in(year, profile["birth_year"]),
        access_needs=frozenset(required_access(profile)),
    )


def resident_row(
    profile: Row,
    skills: Iterable[str],
    interests: Iterable[str],
    taxonomy: Taxonomy | None = None,
) -> Row:
    windows = mask_of(profile["time_windows"] or (), "windows")
    return {
        "user": profile["user"],
        "latitude": profile["latitude"],
        "longitude": profile["longitude"],
        "radius_km": float(min(profile["travel_radius_km"], MAX_RADIUS_KM)),
        "radius_band": radius_band(profile["travel_radius_km"]),
        "interests_mask": mask_of(interests, "fields", taxonomy),
        "skills_mask": mask_of(skills, "skills", taxonomy),
        "windows_mask": windows,
        "windows_count": windows.bit_count(),
        "hours_per_month": profile["hours_per_month"] or 0,
        "languages_mask": mask_of(profile["languages"] or (), "languages", taxonomy),
        "birth_year": profile["birth_year"],
        "contact_ok": bool(profile["contact_ok"]),
        "access_needs_mask": mask_of(required_access(profile), "access"),
    }


def facts_of_resident_row(
    row: Mapping[str, Any], year: int, taxonomy: Taxonomy | None = None
) -> ResidentFacts:
    return ResidentFacts(
        latitude=row["latitude"],
        longitude=row["longitude"],
        radius_km=row["radius_km"],
        interests=slugs_of(row["interests_mask"], "fields", taxonomy),
        skills=slugs_of(row["skills_mask"], "skills", taxonomy),
        windows=slugs_of(row["windows_mask"], "windows"),
        hours_per_month=row["hours_per_month"],
        languages=slugs_of(row["languages_mask"], "languages", taxonomy),
        age=age_in(year, row["birth_year"]),
        access_needs=slugs_of(row.get("access_needs_mask") or 0, "access"),
    )


# --- reading the sources (one query per kind, for one or all) -------------------------------

OPPORTUNITY_SOURCE_COLUMNS = (
    Opportunity.id,
    Opportunity.mode,
    Opportunity.status,
    Opportunity.is_online,
    Opportunity.latitude,
    Opportunity.longitude,
    Opportunity.reach_km,
    Opportunity.hours_per_month,
    Opportunity.languages,
    Opportunity.min_age,
    Opportunity.accessibility_features,
    Opportunity.field.slug.as_alias("field_slug"),
)
PROFILE_SOURCE_COLUMNS = (
    Profile.id,
    Profile.user,
    Profile.latitude,
    Profile.longitude,
    Profile.travel_radius_km,
    Profile.hours_per_month,
    Profile.time_windows,
    Profile.languages,
    Profile.birth_year,
    Profile.contact_ok,
    Profile.accessibility_needs,
    Profile.accessible_only,
)


async def opportunity_sources(
    opportunity_ids: list[int] | None = None, published_only: bool = False
) -> list[tuple[Row, list[Row], list[Row]]]:
    """Opportunities with their skills and sessions in three queries (all when ids is None)."""
    query = Opportunity.select(*OPPORTUNITY_SOURCE_COLUMNS)
    skills_query = OpportunitySkill.select(
        OpportunitySkill.opportunity,
        OpportunitySkill.required,
        OpportunitySkill.skill.slug.as_alias("slug"),
    )
    sessions_query = OpportunitySession.select(
        OpportunitySession.opportunity,
        OpportunitySession.starts_at,
        OpportunitySession.ends_at,
        OpportunitySession.capacity,
        OpportunitySession.seats_taken,
    )
    if opportunity_ids is not None:
        if not opportunity_ids:
            return []
        query = query.where(Opportunity.id.is_in(opportunity_ids))
        skills_query = skills_query.where(OpportunitySkill.opportunity.is_in(opportunity_ids))
        sessions_query = sessions_query.where(OpportunitySession.opportunity.is_in(opportunity_ids))
    if published_only:
        query = query.where(Opportunity.status == OpportunityStatus.PUBLISHED.value)
    rows = await query
    skills: dict[int, list[Row]] = defaultdict(list)
    for skill in await skills_query:
        skills[skill["opportunity"]].append(skill)
    sessions: dict[int, list[Row]] = defaultdict(list)
    for session in await sessions_query:
        sessions[session["opportunity"]].append(session)
    return [(row, skills[row["id"]], sessions[row["id"]]) for row in rows]


async def profile_sources(
    user_ids: list[int] | None = None,
) -> list[tuple[Row, list[str], list[str]]]:
    """Profiles with their skill and interest slugs in three queries (all when ids is None)."""
    query = Profile.select(*PROFILE_SOURCE_COLUMNS)
    skills_query = ProfileSkill.select(
        ProfileSkill.profile, ProfileSkill.skill.slug.as_alias("slug")
    )
    interests_query = ProfileInterest.select(
        ProfileInterest.profile, ProfileInterest.field.slug.as_alias("slug")
    )
    if user_ids is not None:
        query = query.where(Profile.user.is_in(user_ids))
        skills_query = skills_query.where(ProfileSkill.profile.user.is_in(user_ids))
        interests_query = interests_query.where(ProfileInterest.profile.user.is_in(user_ids))
    rows = await query
    skills: dict[int, list[str]] = defaultdict(list)
    for skill in await skills_query:
        skills[skill["profile"]].append(skill["slug"])
    interests: dict[int, list[str]] = defaultdict(list)
    for interest in await interests_query:
        interests[interest["profile"]].append(interest["slug"])
    return [(row, skills[row["id"]], interests[row["id"]]) for row in rows]


# --- writing the index --------------------------------------------------------------------

BATCH_SIZE = 500


async def _insert(table: type[Table], rows: Sequence[Row]) -> None:
    for start in range(0, len(rows), BATCH_SIZE):
        await table.insert(*(table(**row) for row in rows[start : start + BATCH_SIZE]))


def _open_rows(
    sources: Iterable[tuple[Row, list[Row], list[Row]]], now: dt.datetime, taxonomy: Taxonomy
) -> list[Row]:
    """Index rows of the published offers that are open now; the rest get none."""
    rows = []
    for opportunity, skills, sessions in sources:
        if opportunity["status"] != OpportunityStatus.PUBLISHED.value:
            continue
        row = opportunity_row(
            opportunity, opportunity["field_slug"], skills, sessions, now, taxonomy
        )
        if is_open(row["is_online"], row["free_until"], row["last_start"], now):
            rows.append(row)
    return rows


async def refresh_opportunity(opportunity_id: int, now: dt.datetime | None = None) -> None:
    """Recompute one opportunity's row (or remove it); call inside the writing transaction
    of the change so the index commits, or rolls back, with it. Five queries (the lists'
    bits come from this process's reading, checked against the shared version)."""
    now = now or utcnow()
    taxonomy = await current()
    sources = await opportunity_sources([opportunity_id])
    await OpportunityMatch.delete().where(OpportunityMatch.opportunity == opportunity_id)
    await _insert(OpportunityMatch, _open_rows(sources, now, taxonomy))


async def refresh_session(session_id: int) -> None:
    """After a session changed (times, capacity, a place taken or given back)."""
    row = (
        await OpportunitySession.select(OpportunitySession.opportunity)
        .where(OpportunitySession.id == session_id)
        .first()
    )
    if row is not None:
        await refresh_opportunity(row["opportunity"])


async def refresh_resident(user_id: int) -> None:
    """Recompute one resident's row from their profile (none without a profile)."""
    await refresh_residents([user_id], await current())


async def refresh_residents(user_ids: list[int], taxonomy: Taxonomy) -> None:
    """Recompute some residents' rows with the given reading of the lists (four queries)."""
    if not user_ids:
        return
    sources = await profile_sources(user_ids)
    await ResidentMatch.delete().where(ResidentMatch.user.is_in(user_ids))
    await _insert(ResidentMatch, [resident_row(*source, taxonomy) for source in sources])


async def forget_resident(user_id: int) -> None:
    """The row goes with the account (the foreign key cascades too; this says it aloud)."""
    await ResidentMatch.delete().where(ResidentMatch.user == user_id)


async def rebuild_index(now: dt.datetime | None = None) -> tuple[int, int]:
    """Recompute every row from the sources in one transaction; returns (offers, residents).
    Reads everything in seven queries and writes in batches: seconds for 100,000 residents."""
    now = now or utcnow()
    taxonomy = await refresh()
    opportunities = _open_rows(await opportunity_sources(published_only=True), now, taxonomy)
    residents = [resident_row(*source, taxonomy) for source in await profile_sources()]
    async with write_transaction():
        await OpportunityMatch.delete(force=True)
        await ResidentMatch.delete(force=True)
        await _insert(OpportunityMatch, opportunities)
        await _insert(ResidentMatch, residents)
    return len(opportunities), len(residents)
