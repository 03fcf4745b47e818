"""The public list of opportunities: filters, radius as a bounding box, sort orders, pages.

Kept apart from `services` (the officers' reading and editing) because it is the one
read path every visitor hits: the database filters, finds each offer's next date, sorts,
counts and pages, so a page reads its 20 offers whatever the size of the town."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from piccolo.columns.combination import Where, WhereRaw
from piccolo.querystring import QueryString

from boerse.lib import geo
from boerse.lib.db import utcnow
from boerse.opportunities import fulltext
from boerse.opportunities.schemas import SearchFilters
from boerse.opportunities.services import CARD_COLUMNS, Row, sessions_by_opportunity
from boerse.opportunities.tables import (
    Opportunity,
    OpportunitySession,
    OpportunitySkill,
    OpportunityStatus,
)

PAGE_SIZE = 20


@dataclass(frozen=True)
class SearchPage:
    items: list[Row]
    total: int
    page: int
    pages: int


def _conditions(filters: SearchFilters) -> list[Where | WhereRaw]:
    """SQL conditions on published opportunities; the radius becomes an indexable box."""
    conditions: list[Any] = [Opportunity.status == OpportunityStatus.PUBLISHED.value]
    if filters.mode:
        conditions.append(Opportunity.mode == filters.mode)
    if filters.field:
        conditions.append(Opportunity.field.slug == filters.field)
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
    if filters.online_only:
        conditions.append(Opportunity.is_online == True)  # noqa: E712 - Piccolo expression
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


def _session_conditions(filters: SearchFilters, now: dt.datetime) -> list[Where]:
    start, end = filters.window()
    conditions = [OpportunitySession.starts_at > (max(now, start) if start else now)]
    if end is not None:
        conditions.append(OpportunitySession.starts_at < end)
    return conditions


async def search(
    filters: SearchFilters, per_page: int = PAGE_SIZE, now: dt.datetime | None = None
) -> SearchPage:
    """Published offers matching the filters, sorted and cut into pages; three queries
    (five for a page past the last).

    The database filters, finds each offer's next date in the range, sorts and counts, and
    returns only the ids of the page; the cards and next dates are then read for those ids.
    With a postcode the exact distance is measured in Python, on the candidates inside the
    radius's bounding box only (all published candidates when no radius is given), which are
    ordered by the database so that sorting by distance keeps the next date as tie-break."""
    now = now or utcnow()
    ranked = _ranked(filters, now)
    if filters.place is None:
        shown = await _page_of(ranked, filters, filters.page, per_page)
        if shown:
            total = shown[0]["total"]
        elif filters.page == 1:
            total = 0
        else:  # past the last page: count, then show the last one (two more queries)
            total = (await Opportunity.raw("SELECT COUNT(*) AS n FROM ({}) AS r", ranked))[0]["n"]
            shown = await _page_of(ranked, filters, math.ceil(total / per_page), per_page)
        pages = max(1, math.ceil(total / per_page))
        page = min(filters.page, pages)
        for row in shown:
            row["distance_km"] = None
    else:
        matches = []
        for row in await Opportunity.raw("{}", _ordered(ranked, filters.sort)):
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


def _ranked(filters: SearchFilters, now: dt.datetime) -> QueryString:
    """Matching offers with their next date in the range: one row per offer, unsorted.

    Without dates an online offer may run continuously; with a date range it must have one."""
    candidates = Opportunity.select(Opportunity.id).where(*_conditions(filters))
    start, end = filters.window()
    args: list[Any] = [max(now, start) if start else now]
    within = "s.starts_at > {}"
    if end is not None:
        within += " AND s.starts_at < {}"
        args.append(end)
    dated = filters.date_from is not None or filters.date_to is not None
    # One join and GROUP BY (not a join to a grouped subquery, which PostgreSQL may rescan
    # once per offer): each offer once, with its first date in the range.
    sql = (
        "SELECT offer.id, offer.is_online, offer.latitude, offer.longitude,"  # noqa: S608
        " offer.published_at, MIN(s.starts_at) AS next_start"
        " FROM opportunity AS offer LEFT JOIN opportunity_session AS s"
        " ON s.opportunity = offer.id AND " + within + " WHERE offer.id IN ({})"
        " GROUP BY offer.id, offer.is_online, offer.latitude, offer.longitude,"
        " offer.published_at HAVING (MIN(s.starts_at) IS NOT NULL"
    )
    sql += ")" if dated else " OR offer.is_online)"
    return QueryString(sql, *args, candidates.querystrings[0])


# The database's half of each sort order; distance is finished in Python (see `search`).
_ORDER = {
    "next": "(next_start IS NULL), next_start, id",
    "distance": "(next_start IS NULL), next_start, id",
    "newest": "(published_at IS NULL), published_at DESC, id DESC",
}


def _ordered(ranked: QueryString, sort: str) -> QueryString:
    """The rows in the sort order, each with the number of all rows (counted before a LIMIT)."""
    order = _ORDER[sort]  # one of our constants, never a visitor's text
    return QueryString(
        f"SELECT *, COUNT(*) OVER () AS total FROM ({{}}) AS ranked ORDER BY {order}",  # noqa: S608
        ranked,
    )


async def _page_of(
    ranked: QueryString, filters: SearchFilters, page: int, per_page: int
) -> list[Row]:
    if page < 1:
        return []
    return await Opportunity.raw(
        "{} LIMIT {} OFFSET {}", _ordered(ranked, filters.sort), per_page, (page - 1) * per_page
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
    details = {
        row["id"]: row
        for row in await Opportunity.select(*CARD_COLUMNS).where(Opportunity.id.is_in(ids))
    }
    sessions = await sessions_by_opportunity(ids, *_session_conditions(filters, now), now=now)
    cards = []
    for row in shown:
        card = details[row["id"]]
        own = sessions.get(row["id"], [])
        card["distance_km"] = row["distance_km"]
        card["next_session"] = own[0] if own else None
        cards.append(card)
    return cards


async def upcoming(limit: int = 6) -> list[Row]:
    """The next offers for the start page: the public list's default view, shortened."""
    return (await search(SearchFilters(), per_page=limit)).items
