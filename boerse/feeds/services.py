"""What the feeds read: the published dates for the calendar and the newest offers for the
Atom feed, with the list page's filters (the same parsing, the same conditions).

Each feed runs a fixed number of queries whatever the number of dates or offers: the
calendar one query (dates joined with their offers), the Atom feed the list's search
(three) and one for the columns a card does not carry."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from boerse.feeds.structured import shortened
from boerse.lib import geo
from boerse.opportunities.calendar import FEED_PAST, place_text, session_columns
from boerse.opportunities.schemas import SearchFilters
from boerse.opportunities.search import matching_offers, search
from boerse.opportunities.tables import Opportunity, OpportunitySession

MAX_DATES = 1000
"""A calendar program fetches the whole file on every refresh; a town's year of dates fits."""
MAX_ENTRIES = 50
"""Feed readers keep what they have seen; the newest fifty are plenty between two visits."""


@dataclass(frozen=True)
class FeedDate:
    """One published date as the calendar shows it."""

    session_id: int
    opportunity_id: int
    title: str
    summary: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int
    free_places: int
    place: str
    """'Online' or address, postcode and town with the date's note."""
    latitude: float | None
    longitude: float | None
    organisation_name: str
    field_name: str
    changed_at: dt.datetime
    """When the offer was last changed or published (the event's DTSTAMP/LAST-MODIFIED)."""


@dataclass(frozen=True)
class FeedOffer:
    """One offer as an Atom entry."""

    id: int
    title: str
    summary: str
    organisation_id: int
    organisation_name: str
    field_name: str
    published_at: dt.datetime
    updated_at: dt.datetime


def _date_columns() -> tuple:
    offer = OpportunitySession.opportunity
    return (
        *session_columns(OpportunitySession),
        offer.latitude.as_alias("latitude"),
        offer.longitude.as_alias("longitude"),
        offer.updated_at.as_alias("updated_at"),
        offer.published_at.as_alias("published_at"),
        offer.organisation.name.as_alias("organisation_name"),
        offer.field.name.as_alias("field_name"),
    )


async def calendar_dates(filters: SearchFilters, now: dt.datetime) -> list[FeedDate]:
    """The dates of the published offers matching the filters, in date order: from
    `FEED_PAST` ago (a subscribed calendar keeps recent dates for a while instead of seeing
    them vanish the moment they begin), narrowed by the filters' date range. Dates an
    officer cancels are deleted, so they leave the feed and the subscribed calendars."""
    conditions = [
        OpportunitySession.opportunity.is_in(matching_offers(filters)),
        OpportunitySession.ends_at >= now - FEED_PAST,
    ]
    start, end = filters.window()
    if start is not None:
        conditions.append(OpportunitySession.starts_at >= start)
    if end is not None:
        conditions.append(OpportunitySession.starts_at < end)
    rows = (
        await OpportunitySession.select(*_date_columns())
        .where(*conditions)
        .order_by(OpportunitySession.starts_at, OpportunitySession.id)
        .limit(MAX_DATES)
    )
    return [_feed_date(row) for row in rows if _within_radius(row, filters)]


def _within_radius(row: dict, filters: SearchFilters) -> bool:
    """The exact distance behind the database's bounding box, as on the list: online offers
    are always in, places without coordinates never when a radius is asked for."""
    if filters.place is None or filters.radius_km is None or row["is_online"]:
        return True
    if row["latitude"] is None or row["longitude"] is None:
        return False
    centre = (filters.place.latitude, filters.place.longitude)
    return geo.distance_km(centre, (row["latitude"], row["longitude"])) <= filters.radius_km


def _feed_date(row: dict) -> FeedDate:
    return FeedDate(
        session_id=row["session_id"],
        opportunity_id=row["opportunity_id"],
        title=row["title"],
        summary=row["summary"] or "",
        starts_at=row["starts_at"],
        ends_at=row["ends_at"],
        capacity=row["capacity"],
        free_places=max(row["capacity"] - row["seats_taken"], 0),
        place=place_text(row),
        latitude=None if row["is_online"] else row["latitude"],
        longitude=None if row["is_online"] else row["longitude"],
        organisation_name=row["organisation_name"] or "",
        field_name=row["field_name"] or "",
        changed_at=_changed(row["updated_at"], row["published_at"]),
    )


def _changed(updated_at: dt.datetime | None, published_at: dt.datetime | None) -> dt.datetime:
    moments = [moment for moment in (updated_at, published_at) if moment is not None]
    return max(moments) if moments else dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


async def newest_offers(filters: SearchFilters, now: dt.datetime) -> list[FeedOffer]:
    """The list page's first page sorted by "newest", as entries: what is open now, the most
    recently published first (an offer whose dates have all passed is no longer listed)."""
    newest = dataclasses.replace(filters, sort="newest", page=1)
    cards = (await search(newest, per_page=MAX_ENTRIES, now=now)).items
    if not cards:
        return []
    extra = {
        row["id"]: row
        for row in await Opportunity.select(
            Opportunity.id, Opportunity.updated_at, Opportunity.description
        ).where(Opportunity.id.is_in([card["id"] for card in cards]))
    }
    return [_feed_offer(card, extra[card["id"]]) for card in cards if card["published_at"]]


def _feed_offer(card: dict, extra: dict) -> FeedOffer:
    summary = card["summary"] or shortened(extra["description"])
    return FeedOffer(
        id=card["id"],
        title=card["title"],
        summary=summary,
        organisation_id=card["organisation_id"],
        organisation_name=card["organisation_name"] or "",
        field_name=card["field_name"] or "",
        published_at=card["published_at"],
        updated_at=_changed(extra["updated_at"], card["published_at"]),
    )
