"""The public list of opportunities: filters, radius as a bounding box, sort orders, pages.

Kept apart from `services` (the officers' reading and editing) because it is the one
read path every visitor hits, with its own trade-off: narrow in SQL, then measure,
sort and page in Python."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from piccolo.columns.combination import Where, WhereRaw

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


def _distance(row: Row, filters: SearchFilters) -> float | None:
    if filters.place is None or row["latitude"] is None or row["longitude"] is None:
        return None
    return geo.distance_km(
        (filters.place.latitude, filters.place.longitude), (row["latitude"], row["longitude"])
    )


def _sort_key(filters: SearchFilters):
    far = dt.datetime.max.replace(tzinfo=dt.UTC)

    def by_next(row: Row) -> tuple:
        start = row["next_session"]["starts_at"] if row["next_session"] else far
        return (start, row["id"])

    def by_newest(row: Row) -> tuple:
        published = row["published_at"] or dt.datetime.min.replace(tzinfo=dt.UTC)
        return (-published.timestamp(), -row["id"])

    def by_distance(row: Row) -> tuple:
        distance = row["distance_km"]
        return (distance is None, distance or 0.0, *by_next(row))

    return {"next": by_next, "newest": by_newest, "distance": by_distance}[filters.sort]


async def search(
    filters: SearchFilters, per_page: int = PAGE_SIZE, now: dt.datetime | None = None
) -> SearchPage:
    """Published offers matching the filters, sorted and cut into pages; three queries.

    Candidates are narrowed in SQL (status, mode, field, skill, online, bounding box), then
    the exact distance, the date range and the sort order are applied in Python on the few
    columns needed for that. A town has hundreds of offers, not millions, so this stays fast
    and lets every sort order (including distance) share one code path."""
    now = now or utcnow()
    conditions = _conditions(filters)
    candidates = await Opportunity.select(
        Opportunity.id,
        Opportunity.is_online,
        Opportunity.latitude,
        Opportunity.longitude,
        Opportunity.published_at,
    ).where(*conditions)
    sessions = await sessions_by_opportunity(
        Opportunity.select(Opportunity.id).where(*conditions),
        *_session_conditions(filters, now),
        now=now,
    )
    dated = filters.date_from is not None or filters.date_to is not None
    matches = []
    for row in candidates:
        own = sessions.get(row["id"], [])
        # Without dates an online offer may run continuously; with a date range it must have one.
        if not own and (dated or not row["is_online"]):
            continue
        row["distance_km"] = _distance(row, filters)
        if (
            filters.radius_km is not None
            and not row["is_online"]
            and (row["distance_km"] is None or row["distance_km"] > filters.radius_km)
        ):
            continue
        row["next_session"] = own[0] if own else None
        matches.append(row)
    matches.sort(key=_sort_key(filters))
    pages = max(1, math.ceil(len(matches) / per_page))
    page = min(filters.page, pages)
    shown = matches[(page - 1) * per_page : page * per_page]
    return SearchPage(await _cards(shown), len(matches), page, pages)


async def _cards(shown: list[Row]) -> list[Row]:
    """Title, organisation and field of the rows on this page, in their order; one query."""
    if not shown:
        return []
    details = {
        row["id"]: row
        for row in await Opportunity.select(*CARD_COLUMNS).where(
            Opportunity.id.is_in([row["id"] for row in shown])
        )
    }
    cards = []
    for row in shown:
        card = details[row["id"]]
        card["distance_km"] = row["distance_km"]
        card["next_session"] = row["next_session"]
        cards.append(card)
    return cards


async def upcoming(limit: int = 6) -> list[Row]:
    """The next offers for the start page: the public list's default view, shortened."""
    return (await search(SearchFilters(), per_page=limit)).items
