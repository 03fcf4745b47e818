"""Matching both ways, read from the matching index: recommendations for a resident and
candidates for an opportunity.

Each call is a fixed handful of queries whatever the size of the town: the index row of
the one side, ONE ranked SELECT over the other side's index rows (spatial pre-filter on a
composite B-tree index, hard filters and an exact upper bound of the score in SQL, see
`boerse.matching.bounds`), then `scoring.score` in Python on the first page of rows only,
and one or two queries for what the page shows. A second page is read only when the
bounds of the first do not yet prove the top k (rare), so results equal scoring every
pair with `scoring.score` — the benchmark checks exactly that.

The bits and labels of fields, skills and languages are this process's last reading of
the taxonomy (`boerse.profiles.taxonomy.snapshot()`): handlers and jobs await
`taxonomy.current()` first, which costs no query unless an administrator changed them."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from piccolo.columns.combination import WhereRaw

from boerse.accounts.tables import User
from boerse.lib import geo
from boerse.lib.db import CachedSelect, is_sqlite, utcnow
from boerse.lib.i18n import gettext as _
from boerse.matching import bounds, index
from boerse.matching.index_tables import OpportunityMatch, ResidentMatch
from boerse.matching.scoring import Match, Weights, distance_band, reason_text, score
from boerse.opportunities.calendar import LIVE_SQL
from boerse.opportunities.schemas import SearchFilters
from boerse.opportunities.tables import Opportunity
from boerse.piccolo_conf import DB
from boerse.profiles.taxonomy import DAY_PARTS, WEEKDAYS, snapshot

Row = dict[str, Any]

OPPORTUNITY_FIELDS = (
    "opportunity, is_online, latitude, longitude, reach_km, field_bit, required_mask,"
    " desired_mask, windows_mask, hours_per_month, languages_mask, min_age, access_mask"
)
RESIDENT_FIELDS = (
    '"user", latitude, longitude, radius_km, interests_mask, skills_mask, windows_mask,'
    " hours_per_month, languages_mask, birth_year, access_needs_mask"
)


@dataclass(frozen=True)
class Recommendation:
    opportunity: Row
    """The keys of the public list's cards, plus `distance_km` and `next_session`."""
    match: Match
    reason: str


@dataclass(frozen=True)
class Candidate:
    user_id: int
    first_name: str
    distance_band: str
    matching_skills: tuple[str, ...]
    matching_interest: str | None
    time_fit: str
    score: float


# --- the threshold loop --------------------------------------------------------------------

Ranked = list[tuple[float, int, Match, Row]]
Fetch = Callable[[str, int, int], Awaitable[list[Row]]]


async def _top(
    fetch: Fetch,
    phases: list[tuple[str, float]],
    judge: Callable[[Row], Match | None],
    key: str,
    limit: int,
) -> Ranked:
    """The `limit` best rows by real score (ties by id), reading pages ordered by bound.

    Every row not read yet has a bound ≤ the last bound read, and a bound is never below
    the real score; once the k-th best real score is above that bound nothing unread can
    enter the top k, so we stop (nearly always after the first page).

    The rows come in phases (an SQL condition each, with the largest bound any of its rows
    can have): the rows where the interest matches first, the rest only when their best
    possible score could still reach the top k — in a dense town it rarely can, and the
    database then never computes a bound for three quarters of the rows."""
    best: Ranked = []
    for condition, ceiling in phases:
        if len(best) >= limit and _kth(best) > ceiling + bounds.EPSILON:
            break
        offset, size = 0, limit + 15
        while True:
            rows = await fetch(condition, size, offset)
            for row in rows:
                match = judge(row)
                if match is not None:
                    best.append((-match.score, row[key], match, row))
            best.sort(key=lambda item: (item[0], item[1]))
            del best[limit:]
            if len(rows) < size:
                break
            if len(best) >= limit and _kth(best) > rows[-1]["bound"] + bounds.EPSILON:
                break
            offset, size = offset + size, size * 2
    return best


def _kth(best: Ranked) -> float:
    return -best[-1][0]


def _sqrt() -> bool:
    return bounds.SQLITE_HAS_SQRT or not is_sqlite()


def _one_connection() -> contextlib.AbstractAsyncContextManager[Any]:
    """On SQLite Piccolo opens a new connection (and thread) per query outside a
    transaction; a read-only deferred transaction runs the few reads of one call on one
    connection and from one snapshot, and takes no write lock. PostgreSQL's pool already
    hands out warm connections."""
    if is_sqlite():
        return DB.transaction()
    return contextlib.nullcontext()


# --- recommendations -----------------------------------------------------------------------


async def recommendations_for(
    user_id: int,
    filters: SearchFilters | None = None,
    limit: int = 20,
    now: dt.datetime | None = None,
) -> list[Recommendation]:
    """Open offers for a resident, best first, each with its reason; [] without a profile
    or position. The public list's filters (mode, field, skill, dates, online) apply; the
    resident's own place and radius replace the list's postcode search. Offers the person
    already signed up for are left out. Three queries: the resident's row, the ranked
    offers of their fields, the cards — and one more, for the offers of other fields, only
    when those could still reach the top (few offers nearby)."""
    async with _one_connection():
        return await _recommendations_for(
            user_id, filters or SearchFilters(), limit, now or utcnow()
        )


async def _recommendations_for(
    user_id: int, filters: SearchFilters, limit: int, now: dt.datetime
) -> list[Recommendation]:
    resident = await _RESIDENT.first(user_id)
    if resident is None or resident["latitude"] is None or resident["longitude"] is None:
        return []
    facts = index.facts_of_resident_row(resident, now.year)
    weights = Weights.from_settings()
    home = (resident["latitude"], resident["longitude"])
    reach_degrees = resident["radius_km"] / bounds.KM_PER_DEGREE + 0.5
    d_sq = bounds.distance_sq(*home, abs(resident["latitude"]) + reach_degrees)
    where, args = _opportunity_conditions(resident, user_id, filters, now)
    select = (
        f"SELECT {OPPORTUNITY_FIELDS}, {bounds.opportunity_bound(resident, weights, d_sq, _sqrt())}"  # noqa: S608 - our numbers only
        " AS bound FROM opportunity_match WHERE "
    )

    async def fetch(fields: str, size: int, offset: int) -> list[Row]:
        place = bounds.opportunity_place_filter(resident, d_sq, fields)
        sql = f"{select}{place} AND {where} ORDER BY bound DESC, opportunity LIMIT {{}} OFFSET {{}}"
        return await OpportunityMatch.raw(sql, *args, size, offset)

    def judge(row: Row) -> Match | None:
        distance = None if row["is_online"] else geo.distance_km(home, _place(row))
        return score(facts, index.facts_of_opportunity_row(row), weights, distance)

    ranked = await _top(
        fetch, bounds.opportunity_phases(resident, weights), judge, "opportunity", limit
    )
    return await _recommendations(ranked, filters, now)


# On every signed-in start page; written once (Piccolo's select cost ~0.7 ms of Python).
_RESIDENT = CachedSelect(
    lambda: ResidentMatch.select().where(WhereRaw('resident_match."user" = user__')).limit(1),
    "user__",
)


def _place(row: Row) -> tuple[float, float]:
    return (row["latitude"], row["longitude"])


def _opportunity_conditions(
    resident: Row, user_id: int, filters: SearchFilters, now: dt.datetime
) -> tuple[str, list[Any]]:
    """Hard filters and the list's filters as SQL; values the SQL text cannot hold
    (times, the mode) become parameters, in order."""
    conditions = [
        "(free_until > {} OR (is_online = TRUE AND (last_start IS NULL OR last_start <= {})))",
        bounds.opportunity_language_filter(resident),
        "opportunity NOT IN (SELECT s.opportunity FROM sign_up AS u"  # noqa: S608 - constants
        " JOIN opportunity_session AS s ON s.id = u.session"
        f' WHERE u."user" = {{}} AND u.status IN ({LIVE_SQL}))',
    ]
    args: list[Any] = [now, now, user_id]
    age = index.age_in(now.year, resident["birth_year"])
    if age is not None:
        conditions.append(f"(min_age IS NULL OR min_age <= {int(age)})")
    if needs := int(resident["access_needs_mask"] or 0):
        # The resident's hard filter: every need among the offer's features.
        conditions.append(f"(access_mask & {needs}) = {needs}")
    if filters.mode:
        conditions.append("mode = {}")
        args.append(filters.mode)
    if filters.field:
        conditions.append(f"field_bit = {index.bits('fields').get(filters.field, 0)}")
    if filters.skill:
        bit = index.bits("skills").get(filters.skill, 0)
        conditions.append(f"((required_mask | desired_mask) & {bit}) <> 0")
    if filters.online_only:
        conditions.append("is_online = TRUE")
    start, end = filters.window()
    if start is not None or end is not None:
        session_where = ["starts_at > {}", "seats_taken < capacity"]
        args.append(max(now, start) if start else now)
        if end is not None:
            session_where.append("starts_at < {}")
            args.append(end)
        within = " AND ".join(session_where)
        sessions = f"SELECT opportunity FROM opportunity_session WHERE {within}"  # noqa: S608
        conditions.append(f"opportunity IN ({sessions})")
    return " AND ".join(conditions), args


CARDS_SQL = (
    "SELECT o.id, o.title, o.summary, o.mode, o.is_online, o.locality, o.status,"
    " o.published_at, o.organisation AS organisation_id, g.name AS organisation_name,"
    " o.latitude, o.longitude,"
    " f.name AS field_name, s.id AS session_id, s.starts_at, s.ends_at, s.capacity,"
    " s.seats_taken, s.location_note"
    " FROM opportunity AS o"
    " JOIN organisation AS g ON g.id = o.organisation"
    " JOIN field_of_action AS f ON f.id = o.field"
    " LEFT JOIN opportunity_session AS s ON s.id = ("
    "SELECT n.id FROM opportunity_session AS n WHERE n.opportunity = o.id"
    " AND n.starts_at > {} AND n.starts_at < {} AND n.seats_taken < n.capacity"
    " ORDER BY n.starts_at, n.id LIMIT 1)"
    " WHERE o.id IN ("
)
"""The public list's card columns (`opportunities.services.CARD_COLUMNS`) and the next
session with a free place, in ONE query: a recommendation page is read on every visit of
the start page, and each query on SQLite costs about a millisecond of hand-offs."""
CARD_KEYS = (
    "id",
    "title",
    "summary",
    "mode",
    "is_online",
    "locality",
    "status",
    "published_at",
    "organisation_id",
    "organisation_name",
    "field_name",
    "latitude",
    "longitude",
)
FAR_FUTURE = dt.datetime(9999, 1, 1, tzinfo=dt.UTC)


async def _recommendations(
    ranked: Ranked, filters: SearchFilters, now: dt.datetime
) -> list[Recommendation]:
    """Cards for the ranked offers, in their order, with the next free session (one query)."""
    if not ranked:
        return []
    start, end = filters.window()
    ids = ", ".join(str(int(item[1])) for item in ranked)
    rows = await Opportunity.raw(
        CARDS_SQL + ids + ")", max(now, start) if start else now, end or FAR_FUTURE
    )
    details = {row["id"]: row for row in rows}
    recommendations = []
    for _negative, opportunity_id, match, _row in ranked:
        row = details.get(opportunity_id)
        if row is None:  # removed between the two reads
            continue
        card = {key: row[key] for key in CARD_KEYS}
        card["is_online"] = bool(card["is_online"])
        card["distance_km"] = match.distance_km
        card["next_session"] = _next_session(row, now)
        recommendations.append(Recommendation(card, match, reason_text(match)))
    return recommendations


def _next_session(row: Row, now: dt.datetime) -> Row | None:
    """The same keys as `opportunities.services.sessions_by_opportunity` gives per session."""
    if row["session_id"] is None:
        return None
    free = max(row["capacity"] - row["seats_taken"], 0)
    return {
        "id": row["session_id"],
        "opportunity": row["id"],
        "starts_at": row["starts_at"],
        "ends_at": row["ends_at"],
        "capacity": row["capacity"],
        "seats_taken": row["seats_taken"],
        "location_note": row["location_note"],
        "free_places": free,
        "is_full": free == 0,
        "is_past": row["starts_at"] <= now,
    }


# --- candidates ----------------------------------------------------------------------------


async def candidates_for(
    opportunity_id: int, limit: int = 50, now: dt.datetime | None = None
) -> list[Candidate]:
    """Residents who allowed invitations and pass every hard filter, best first; never an
    email or address. People already signed up are left out. Three queries: the offer's
    row, the ranked residents interested in its field, their first names — one more for
    the other residents when they could still reach the top, and two more for an offer
    that is not published yet (its facts then come straight from its rows)."""
    async with _one_connection():
        return await _candidates_for(opportunity_id, limit, now or utcnow())


async def _candidates_for(opportunity_id: int, limit: int, now: dt.datetime) -> list[Candidate]:
    opportunity = await _opportunity_row(opportunity_id, now)
    if opportunity is None:
        return []
    facts = index.facts_of_opportunity_row(opportunity)
    weights = Weights.from_settings()
    online = bool(opportunity["is_online"]) or opportunity["latitude"] is None
    place = None if online else _place(opportunity)
    d_sq = None
    if place is not None:
        d_sq = bounds.distance_sq(*place, abs(place[0]) + 100.0 / bounds.KM_PER_DEGREE + 0.5)
    where = _resident_conditions(opportunity, opportunity_id, now, d_sq)
    select = (
        f"SELECT {RESIDENT_FIELDS}, {bounds.resident_bound(opportunity, weights, d_sq, _sqrt())}"  # noqa: S608 - our numbers only
        f" AS bound FROM resident_match WHERE {where}"
    )

    async def fetch(condition: str, size: int, offset: int) -> list[Row]:
        sql = f'{select} AND {condition} ORDER BY bound DESC, "user" LIMIT {{}} OFFSET {{}}'
        return await ResidentMatch.raw(sql, size, offset)

    def judge(row: Row) -> Match | None:
        resident = index.facts_of_resident_row(row, now.year)
        distance = None if place is None else geo.distance_km(_place(row), place)
        return score(resident, facts, weights, distance)

    ranked = await _top(fetch, bounds.resident_phases(opportunity, weights), judge, "user", limit)
    return await _candidates(ranked)


async def _opportunity_row(opportunity_id: int, now: dt.datetime) -> Row | None:
    """The index row; for an offer not in the index (a draft being prepared) the same row
    computed from its sources. None when it has no free place."""
    row = (
        await OpportunityMatch.select()
        .where(OpportunityMatch.opportunity == opportunity_id)
        .first()
    )
    if row is not None:
        return row
    sources = await index.opportunity_sources([opportunity_id])
    if not sources:
        return None
    source, skills, sessions = sources[0]
    row = index.opportunity_row(source, source["field_slug"], skills, sessions, now)
    if not index.is_open(row["is_online"], row["free_until"], row["last_start"], now):
        return None
    return row


def _resident_conditions(
    opportunity: Row, opportunity_id: int, now: dt.datetime, d_sq: str | None
) -> str:
    conditions = [
        "contact_ok = TRUE" if d_sq is None else bounds.resident_place_filter(opportunity, d_sq),
        "latitude IS NOT NULL",
        '"user" NOT IN (SELECT u."user" FROM sign_up AS u'  # noqa: S608 - an int and constants
        " JOIN opportunity_session AS s ON s.id = u.session"
        f" WHERE s.opportunity = {int(opportunity_id)} AND u.status IN ({LIVE_SQL}))",
    ]
    language = bounds.resident_language_filter(opportunity)
    if language:
        conditions.append(language)
    if opportunity["min_age"] is not None:
        latest_birth_year = now.year - int(opportunity["min_age"])
        conditions.append(f"(birth_year IS NULL OR birth_year <= {latest_birth_year})")
    # Residents whose accessibility filter is on see only offers meeting all their needs,
    # so they are no candidates for any other (no need outside the offer's features).
    lacking = index.ALL_ACCESS & ~int(opportunity.get("access_mask") or 0)
    conditions.append(f"(access_needs_mask & {lacking}) = 0")
    return " AND ".join(conditions)


async def _candidates(ranked: Ranked) -> list[Candidate]:
    """First names in one query; everything else comes from the match."""
    if not ranked:
        return []
    ids = [item[1] for item in ranked]
    names = {
        row["id"]: row["display_name"]
        for row in await User.select(User.id, User.display_name).where(User.id.is_in(ids))
    }
    return [
        Candidate(
            user_id=user_id,
            first_name=_first_name(names.get(user_id, "")),
            distance_band=_("online")
            if match.distance_km is None
            else distance_band(match.distance_km),
            matching_skills=tuple(_skill_label(slug) for slug in match.matching_skills),
            matching_interest=_field_label(match.matching_interest),
            time_fit=", ".join(_window_label(slug) for slug in match.matching_windows[:2]),
            score=match.score,
        )
        for _negative, user_id, match, _row in ranked
    ]


def _first_name(display_name: str) -> str:
    """Officers see a first name only, never the full name."""
    parts = display_name.split()
    return parts[0] if parts else ""


_DAYS = dict(WEEKDAYS)
_PARTS = {slug: label for slug, label, *_ in DAY_PARTS}


def _field_label(slug: str | None) -> str | None:
    """As the taxonomy names it now: a renamed field shows its new name."""
    if not slug:
        return None
    return snapshot().label_of("fields", slug)


def _skill_label(slug: str) -> str:
    return snapshot().label_of("skills", slug)


def _window_label(slug: str) -> str:
    """'sat-morning' → 'Samstag vormittags'."""
    day, _sep, part = slug.partition("-")
    if day in _DAYS and part in _PARTS:
        return f"{_(_DAYS[day])} {_(_PARTS[part])}"
    return slug
