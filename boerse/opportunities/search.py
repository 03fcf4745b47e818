"""The public list of opportunities: filters, radius as a bounding box, sort orders, pages.

Kept apart from `services` (the officers' reading and editing) because it is the one
read path every visitor hits: the database filters, finds each offer's next date, sorts,
counts and pages, so a page reads its 20 offers whatever the size of the town."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import math
import operator
from dataclasses import dataclass
from typing import Any

from piccolo.columns.combination import Where, WhereRaw
from piccolo.querystring import QueryString

from boerse.lib import geo
from boerse.lib.db import is_sqlite, select_text, utcnow
from boerse.lib.paging import page_numbers
from boerse.opportunities import fulltext
from boerse.opportunities.schemas import SearchFilters
from boerse.opportunities.services import CARD_COLUMNS, SESSION_COLUMNS, Row, session_view
from boerse.opportunities.tables import (
    Opportunity,
    OpportunitySession,
    OpportunitySkill,
    OpportunityStatus,
)
from boerse.profiles.services import required_access_of
from boerse.profiles.tables import FieldOfAction

PAGE_SIZE = 20


@dataclass(frozen=True)
class SearchPage:
    items: list[Row]
    total: int
    page: int
    pages: int

    @property
    def numbers(self) -> list[int | None]:
        """The page links to show (None: numbers left out)."""
        return page_numbers(self.page, self.pages)


def _conditions(filters: SearchFilters) -> list[Where | WhereRaw]:
    """SQL conditions on published opportunities; the radius becomes an indexable box."""
    conditions: list[Any] = [Opportunity.status == OpportunityStatus.PUBLISHED.value]
    if filters.mode:
        conditions.append(Opportunity.mode == filters.mode)
    if filters.field:
        # A subquery, not Piccolo's join: the conditions must stand on `opportunity` alone.
        conditions.append(
            Opportunity.field.is_in(
                FieldOfAction.select(FieldOfAction.id).where(FieldOfAction.slug == filters.field)
            )
        )
    if filters.skill:
        conditions.append(
            Opportunity.id.is_in(
                OpportunitySkill.select(OpportunitySkill.opportunity).where(
                    OpportunitySkill.skill.slug == filters.skill
                )
            )
        )
    if filters.text and (matches_text := fulltext.text_condition(filters.text)) is not None:
        conditions.append(matches_text)
    if filters.language:
        conditions.append(fulltext.language_condition(filters.language))
    if filters.accessible:
        conditions.append(Opportunity.accessibility != "")
    for slug in sorted(set(filters.needs) | set(filters.own_needs)):
        conditions.append(_offers_feature(slug))
    if filters.online_only:
        conditions.append(Opportunity.is_online == True)  # noqa: E712 - Piccolo expression
    if filters.organisation_id is not None:
        conditions.append(Opportunity.organisation == filters.organisation_id)
    if filters.changed_since is not None:
        conditions.append(Opportunity.updated_at >= filters.changed_since)
    if filters.place is not None and filters.radius_km is not None:
        box = geo.bounding_box(filters.place.latitude, filters.place.longitude, filters.radius_km)
        inside = (
            (Opportunity.latitude >= box.min_latitude)
            & (Opportunity.latitude <= box.max_latitude)
            & (Opportunity.longitude >= box.min_longitude)
            & (Opportunity.longitude <= box.max_longitude)
        )
        # Online offers can be joined from anywhere, so a radius never hides them.
        conditions.append(inside | (Opportunity.is_online == True))  # noqa: E712
    return conditions


def matching_offers(filters: SearchFilters) -> Any:
    """The ids of the published offers matching the filters, as a subquery (a radius as its
    bounding box; the exact distance is the reader's to check): for readers that list dates
    rather than offers, such as the calendar feed."""
    return Opportunity.select(Opportunity.id).where(*_conditions(filters))


def _offers_feature(slug: str) -> Where:
    """The offer lists the accessibility feature: one array test per need, so "all needs"
    is their AND. SQLite keeps the array as JSON text, where the quoted slug is exact."""
    features = Opportunity.accessibility_features
    return features.like(f'%"{slug}"%') if is_sqlite() else features.any(slug)


async def with_own_needs(filters: SearchFilters, user_id: int | None) -> SearchFilters:
    """The list as a signed-in resident sees it: with their accessibility needs as a hard
    filter when their profile asks for it (one query; nothing for visitors)."""
    if user_id is None:
        return filters
    needs = await required_access_of(user_id)
    return dataclasses.replace(filters, own_needs=tuple(needs)) if needs else filters


def _date_range(filters: SearchFilters, now: dt.datetime) -> tuple[dt.datetime, dt.datetime | None]:
    """Dates count from the later of now and the range's start, up to its end (if any)."""
    start, end = filters.window()
    return (max(now, start) if start else now), end


async def search(
    filters: SearchFilters, per_page: int = PAGE_SIZE, now: dt.datetime | None = None
) -> SearchPage:
    """Published offers matching the filters, sorted and cut into pages; three queries
    (five for a page past the last).

    The database filters, sorts and counts, and returns only the ids of the page; the cards
    and next dates are then read for those ids. Without a date range the order and the count
    come from each offer's kept next date (`next_dates`), so the first page reads about as
    many index entries as it shows, whatever the size of the town; a date range needs each
    offer's first date inside it, found with one `MIN … GROUP BY`. With a postcode the exact
    distance is measured in Python, on the candidates inside the radius's bounding box only
    (all published candidates when no radius is given), which are ordered by the database so
    that sorting by distance keeps the next date as tie-break."""
    now = now or utcnow()
    if filters.place is None:
        shown, total = await _page_of(filters, now, filters.page, per_page)
        if not shown and filters.page > 1:  # past the last page: count, then show the last one
            total = await _count(filters, now)
            shown, _ = await _page_of(filters, now, math.ceil(total / per_page), per_page)
        pages = max(1, math.ceil(total / per_page))
        page = min(filters.page, pages)
        for row in shown:
            row["distance_km"] = None
    else:
        matches = []
        for row in await Opportunity.raw("{}", _ordered(_candidates(filters, now), filters)):
            row["distance_km"] = _distance(row, filters)
            if (
                filters.radius_km is not None
                and not row["is_online"]
                and (row["distance_km"] is None or row["distance_km"] > filters.radius_km)
            ):
                continue
            matches.append(row)
        if filters.sort == "distance":
            # Stable: offers at the same distance keep the database's order by next date.
            matches.sort(key=lambda row: (row["distance_km"] is None, row["distance_km"] or 0.0))
        total = len(matches)
        pages = max(1, math.ceil(total / per_page))
        page = min(filters.page, pages)
        shown = matches[(page - 1) * per_page : page * per_page]
    return SearchPage(await _cards(shown, filters, now), total, page, pages)


def _has_date_range(filters: SearchFilters) -> bool:
    return filters.date_from is not None or filters.date_to is not None


def _candidates(filters: SearchFilters, now: dt.datetime) -> QueryString:
    """Every matching offer with its next date (in the range, if any), one row each,
    unsorted: the candidates of a postcode search."""
    if _has_date_range(filters):
        return _ranked(filters, now)
    return _listed(filters, now, None)


async def _page_of(
    filters: SearchFilters, now: dt.datetime, page: int, per_page: int
) -> tuple[list[Row], int]:
    """The rows of one page (one query) and the number of all matching offers."""
    if page < 1:
        return [], 0
    offset = (page - 1) * per_page
    if _has_date_range(filters):
        ordered = _ordered(_ranked(filters, now), filters, "COUNT(*) OVER ()")
    else:
        ordered = _ordered(_listed(filters, now, offset + per_page), filters, _total(filters, now))
    rows = await Opportunity.raw("{} LIMIT {} OFFSET {}", ordered, per_page, offset)
    return rows, (rows[0]["total"] if rows else 0)


async def _count(filters: SearchFilters, now: dt.datetime) -> int:
    if _has_date_range(filters):
        counted = QueryString("SELECT COUNT(*) AS n FROM ({}) AS r", _ranked(filters, now))
    else:
        counted = QueryString("SELECT {} AS n", _total(filters, now))
    return (await Opportunity.raw("{}", counted))[0]["n"]


# What the list needs of each matching offer before it picks a page.
_LISTED = (
    "opportunity.id, opportunity.is_online, opportunity.latitude, opportunity.longitude,"
    " opportunity.published_at"
)
# The SQL below is written out rather than built with Piccolo's select: building a select
# costs about 1 ms of Python per statement, as much as the start page's queries themselves.
# Only these constants and `_where`'s conditions go into the text; values are parameters.
_NEXT_START = (
    "CASE WHEN opportunity.next_starts_at > {} THEN opportunity.next_starts_at ELSE"
    " (SELECT MIN(s.starts_at) FROM opportunity_session AS s"
    " WHERE s.opportunity = opportunity.id AND s.starts_at > {}) END"
)


def _where(filters: SearchFilters) -> QueryString:
    """The filters' conditions on the `opportunity` table as one SQL condition."""
    return functools.reduce(operator.and_, _conditions(filters)).querystring


def _fresh(where: QueryString, now: dt.datetime, newest: bool, limit: int | None) -> QueryString:
    """Matching offers whose kept next date is ahead (exact, see `next_dates`) in the sort
    order, which the indexes on (status, next_starts_at) and (status, published_at) follow."""
    sql = (
        f"SELECT {_LISTED}, opportunity.next_starts_at AS next_start FROM opportunity"  # noqa: S608
        " WHERE {} AND opportunity.next_starts_at > {}"
    )
    if newest:
        sql += (
            " AND opportunity.published_at IS NOT NULL"
            " ORDER BY opportunity.published_at DESC, opportunity.id DESC"
        )
    else:
        sql += " ORDER BY opportunity.next_starts_at, opportunity.id"
    if limit is None:
        return QueryString(sql, where, now)
    return QueryString(sql + " LIMIT {}", where, now, limit)


def _others(where: QueryString, now: dt.datetime, newest: bool) -> QueryString:
    """Matching offers outside `_fresh` that are listed: a kept date that has begun (the next
    one is looked up), online offers without dates (and for the newest first, those without
    a publication date). A handful, whatever the size of the town."""
    outside = (
        "opportunity.next_starts_at <= {}"
        " OR (opportunity.next_starts_at IS NULL AND opportunity.is_online)"
    )
    args: list[Any] = [now]
    if newest:
        outside += " OR (opportunity.next_starts_at > {} AND opportunity.published_at IS NULL)"
        args.append(now)
    return QueryString(
        f"SELECT * FROM (SELECT {_LISTED}, {_NEXT_START} AS next_start FROM opportunity"  # noqa: S608
        f" WHERE {{}} AND ({outside})) AS other WHERE next_start IS NOT NULL OR is_online",
        now,
        now,
        where,
        *args,
    )


def _listed(filters: SearchFilters, now: dt.datetime, limit: int | None) -> QueryString:
    newest = filters.sort == "newest"
    where = _where(filters)
    return QueryString(
        "SELECT * FROM ({}) AS fresh UNION ALL SELECT * FROM ({}) AS others",
        _fresh(where, now, newest, limit),
        _others(where, now, newest),
    )


def _total(filters: SearchFilters, now: dt.datetime) -> QueryString:
    """The number of matching offers: the fresh ones counted in the index, plus the others."""
    where = _where(filters)
    return QueryString(
        "((SELECT COUNT(*) FROM opportunity WHERE {} AND opportunity.next_starts_at > {})"
        " + (SELECT COUNT(*) FROM ({}) AS others))",
        where,
        now,
        _others(where, now, newest=False),
    )


def _ranked(filters: SearchFilters, now: dt.datetime) -> QueryString:
    """Matching offers with their first date in the date range: one row per offer, unsorted.
    (Without a date range an online offer may run continuously; with one it needs a date.)"""
    candidates = Opportunity.select(Opportunity.id).where(*_conditions(filters))
    start, end = _date_range(filters, now)
    args: list[Any] = [start]
    within = "s.starts_at > {}"
    if end is not None:
        within += " AND s.starts_at < {}"
        args.append(end)
    # One join and GROUP BY (not a join to a grouped subquery, which PostgreSQL may rescan
    # once per offer): each offer once, with its first date in the range.
    sql = (
        "SELECT offer.id, offer.is_online, offer.latitude, offer.longitude,"  # noqa: S608
        " offer.published_at, MIN(s.starts_at) AS next_start"
        " FROM opportunity AS offer LEFT JOIN opportunity_session AS s"
        " ON s.opportunity = offer.id AND " + within + " WHERE offer.id IN ({})"
        " GROUP BY offer.id, offer.is_online, offer.latitude, offer.longitude,"
        " offer.published_at HAVING MIN(s.starts_at) IS NOT NULL"
    )
    return QueryString(sql, *args, candidates.querystrings[0])


# The database's half of each sort order; distance is finished in Python (see `search`).
_ORDER = {
    "next": "(next_start IS NULL), next_start, id",
    "distance": "(next_start IS NULL), next_start, id",
    "newest": "(published_at IS NULL), published_at DESC, id DESC",
}


def _ordered(rows: QueryString, filters: SearchFilters, total: QueryString | str = "0"):
    """The rows in the sort order, each with the number of all matching offers (`total`, an
    SQL expression: a window count, or the kept dates' count)."""
    order = _ORDER[filters.sort]  # one of our constants, never a visitor's text
    return QueryString(
        f"SELECT *, {{}} AS total FROM ({{}}) AS ranked ORDER BY {order}",  # noqa: S608
        QueryString(total) if isinstance(total, str) else total,
        rows,
    )


def _distance(row: Row, filters: SearchFilters) -> float | None:
    if filters.place is None or row["latitude"] is None or row["longitude"] is None:
        return None
    return geo.distance_km(
        (filters.place.latitude, filters.place.longitude), (row["latitude"], row["longitude"])
    )


async def _cards(shown: list[Row], filters: SearchFilters, now: dt.datetime) -> list[Row]:
    """Title, organisation, field and next date of the rows on this page, in their order;
    two queries, for the page's ids only."""
    if not shown:
        return []
    ids = [row["id"] for row in shown]
    listed = QueryString(", ".join("{}" for _ in ids), *ids)
    details = {row["id"]: row for row in await Opportunity.raw(_cards_sql(), listed)}
    start, end = _date_range(filters, now)
    window = [start, *([end] if end is not None else [])]
    next_dates: dict[int, Row] = {}
    for session in await Opportunity.raw(_sessions_sql(end is not None), listed, *window):
        next_dates.setdefault(session["opportunity"], session_view(session, now))
    cards = []
    for row in shown:
        card = details[row["id"]]
        card["distance_km"] = row["distance_km"]
        card["next_session"] = next_dates.get(row["id"])
        cards.append(card)
    return cards


# Piccolo writes these two statements once per process (building a select with joins costs
# ~0.7 ms each time, on every visit of the start page); the bare words mark where values go.
@functools.cache
def _cards_sql() -> str:
    query = Opportunity.select(*CARD_COLUMNS).where(WhereRaw("opportunity.id IN (ids__)"))
    return select_text(query, "ids__")


@functools.cache
def _sessions_sql(bounded: bool) -> str:
    """The dates in the range of the listed offers, in date order."""
    window = "opportunity_session.starts_at > from__"
    if bounded:
        window += " AND opportunity_session.starts_at < to__"
    query = (
        OpportunitySession.select(*SESSION_COLUMNS)
        .where(WhereRaw(f"opportunity_session.opportunity IN (ids__) AND {window}"))
        .order_by(OpportunitySession.starts_at)
    )
    return select_text(query, "ids__", "from__", "to__")


async def upcoming(limit: int = 6) -> list[Row]:
    """The next offers for the start page: the public list's default view, shortened."""
    return (await search(SearchFilters(), per_page=limit)).items
