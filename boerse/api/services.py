"""What the API reads, through the domains' own services: the taxonomies, the public list's
search (so every filter means what it means on the list page), one published opportunity,
organisations and the suppressed public results. Records are built here from the rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from piccolo.query.functions.aggregate import Count

from boerse.accounts.tables import Organisation
from boerse.api import schemas
from boerse.dashboards.opendata import OVERALL_VIEW, OpenDataRow, open_data
from boerse.lib.formatting import TOWN_TIMEZONE
from boerse.opportunities import rules as opportunity_rules
from boerse.opportunities.schemas import SearchFilters
from boerse.opportunities.search import search
from boerse.opportunities.services import sessions_of
from boerse.opportunities.tables import Opportunity, OpportunityStatus
from boerse.organisations import rules as organisation_rules
from boerse.profiles.taxonomy import current as current_taxonomy

Row = dict[str, Any]
Link = Callable[..., str]
"""Absolute address of a named route (`site_url`-like), passed in by the handler."""


def local_time(value: dt.datetime | None) -> dt.datetime | None:
    """In the town's time zone, with its offset (`+01:00`), never naive."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(TOWN_TIMEZONE)


async def fields_of_action() -> list[schemas.FieldOfAction]:
    taxonomy = await current_taxonomy()
    return [schemas.FieldOfAction(e.slug, e.name, e.retired) for e in taxonomy.fields]


async def skills() -> list[schemas.Skill]:
    taxonomy = await current_taxonomy()
    return [schemas.Skill(e.slug, e.name, e.retired) for e in taxonomy.skills]


# --- opportunities -----------------------------------------------------------------------

_EXTRA_COLUMNS = (
    Opportunity.id,
    Opportunity.postcode,
    Opportunity.latitude,
    Opportunity.longitude,
    Opportunity.updated_at,
    Opportunity.field.slug.as_alias("field_slug"),
    Opportunity.field.name.as_alias("field_name"),
)


async def _extras(ids: list[int]) -> dict[int, Row]:
    """What the API shows beyond the list's cards (place, field slug, last change): one
    query for all the page's offers."""
    if not ids:
        return {}
    rows = await Opportunity.select(*_EXTRA_COLUMNS).where(Opportunity.id.is_in(ids))
    return {row["id"]: row for row in rows}


def _place(card: Row, extra: Row) -> schemas.Place | None:
    if not extra["postcode"]:
        return None
    return schemas.Place(
        extra["postcode"], card.get("locality") or "", extra["latitude"], extra["longitude"]
    )


def _date_summary(session: Row | None) -> schemas.DateSummary | None:
    if session is None:
        return None
    return schemas.DateSummary(
        id=session["id"],
        starts_at=local_time(session["starts_at"]),
        ends_at=local_time(session["ends_at"]),
        capacity=session["capacity"],
        free_places=session["free_places"],
        full=session["is_full"],
    )


def _summary(card: Row, extra: Row, link: Link) -> schemas.OpportunitySummary:
    distance = card.get("distance_km")
    return schemas.OpportunitySummary(
        id=card["id"],
        url=link("opportunities:detail", opportunity_id=card["id"]),
        title=card["title"],
        summary=card["summary"],
        mode=card["mode"],
        field=schemas.FieldRef(extra["field_slug"], extra["field_name"]),
        organisation=schemas.OrganisationRef(card["organisation_id"], card["organisation_name"]),
        online=bool(card["is_online"]),
        place=_place(card, extra),
        next_date=_date_summary(card.get("next_session")),
        distance_km=None if distance is None else round(distance, 1),
        published_at=local_time(card["published_at"]),
        updated_at=local_time(extra["updated_at"]),
    )


async def opportunity_page(
    filters: SearchFilters, limit: int, link: Link
) -> tuple[list[schemas.OpportunitySummary], int, bool]:
    """The page `filters.page` of the public list's search, `limit` offers a page; and the
    total and whether a further page exists. A page past the last is empty (the list page
    shows the last one instead; a client following `next` never asks for it)."""
    await current_taxonomy()
    result = await search(filters, per_page=limit)
    if result.page != filters.page:
        return [], result.total, False
    extras = await _extras([card["id"] for card in result.items])
    items = [_summary(card, extras[card["id"]], link) for card in result.items]
    return items, result.total, result.page < result.pages


async def opportunity(opportunity_id: int, link: Link) -> schemas.Opportunity:
    """One published opportunity with its coming dates; 404 for drafts and closed ones,
    decided by the opportunities' own access rule (as for a visitor who is not signed in)."""
    row = await opportunity_rules.access_opportunity(None, opportunity_id)
    extra = (await _extras([opportunity_id]))[opportunity_id]
    dates = [
        schemas.Date(
            id=s["id"],
            starts_at=local_time(s["starts_at"]),
            ends_at=local_time(s["ends_at"]),
            capacity=s["capacity"],
            free_places=s["free_places"],
            full=s["is_full"],
            location_note=s["location_note"],
        )
        for s in await sessions_of(opportunity_id)
        if not s["is_past"]
    ]
    min_age = row["min_age"]
    return schemas.Opportunity(
        id=row["id"],
        url=link("opportunities:detail", opportunity_id=row["id"]),
        title=row["title"],
        summary=row["summary"],
        description=row["description"],
        mode=row["mode"],
        field=schemas.FieldRef(row["field_slug"], row["field_name"]),
        organisation=schemas.OrganisationRef(row["organisation_id"], row["organisation_name"]),
        outcome_goal=row["outcome_goal"],
        online=bool(row["is_online"]),
        place=_place(row, extra),
        address=row["address"],
        skills=[
            schemas.SkillNeed(s["slug"], s["name"], bool(s["required"])) for s in row["skills"]
        ],
        languages=list(row["languages"] or []),
        min_age=min_age,
        open_to_minors=min_age is None or min_age < 18,
        accessibility=row["accessibility"],
        accessibility_features=list(row["accessibility_features"] or []),
        hours_per_month=row["hours_per_month"],
        max_companions=row["max_companions"] or 0,
        dates=dates,
        published_at=local_time(row["published_at"]),
        updated_at=local_time(extra["updated_at"]),
    )


# --- organisations -----------------------------------------------------------------------

_ORGANISATION_COLUMNS = (
    Organisation.id,
    Organisation.name,
    Organisation.kind,
    Organisation.description,
    Organisation.website,
)


async def _published_counts(ids: list[int]) -> dict[int, int]:
    """Published offers per organisation, for the given ones (one query)."""
    if not ids:
        return {}
    rows = (
        await Opportunity.select(Opportunity.organisation, Count(Opportunity.id, alias="n"))
        .where(
            (Opportunity.status == OpportunityStatus.PUBLISHED.value)
            & Opportunity.organisation.is_in(ids)
        )
        .group_by(Opportunity.organisation)
    )
    return {row["organisation"]: row["n"] for row in rows}


def _organisation(row: Row, count: int, link: Link) -> schemas.Organisation:
    return schemas.Organisation(
        id=row["id"],
        url=link("organisations:public", organisation_id=row["id"]),
        name=row["name"],
        kind=row["kind"],
        description=row["description"],
        website=row["website"],
        published_opportunities=count,
    )


async def organisations(
    after: int, limit: int, link: Link
) -> tuple[list[schemas.Organisation], bool]:
    """Organisations by id after `after` (keyset paging: a new organisation never shifts a
    page), and whether more follow. Two queries."""
    rows = (
        await Organisation.select(*_ORGANISATION_COLUMNS)
        .where(Organisation.id > after)
        .order_by(Organisation.id)
        .limit(limit + 1)
    )
    more = len(rows) > limit
    rows = rows[:limit]
    counts = await _published_counts([row["id"] for row in rows])
    return [_organisation(row, counts.get(row["id"], 0), link) for row in rows], more


async def organisation(organisation_id: int, link: Link) -> schemas.Organisation:
    """One organisation (every organisation's page is public); 404 when there is none."""
    row = await organisation_rules.access_organisation(None, organisation_id)
    counts = await _published_counts([organisation_id])
    return _organisation(row, counts.get(organisation_id, 0), link)


# --- public results ----------------------------------------------------------------------

_VIEWS = {"handlungsfeld": "field", "modus": "mode", "wirkungsziel": "goal", OVERALL_VIEW: "town"}


def _result_row(row: OpenDataRow) -> schemas.ResultRow:
    v = row.values()
    return schemas.ResultRow(
        view=_VIEWS[row.view],
        key=row.key,
        label=row.label,
        month=v["monat"],
        responses=v["antworten"],
        response_rate_percent=v["antwortquote_prozent"],
        average_rating=v["bewertung_mittel"],
        agreement_percent=v["zustimmung_prozent"],
        answers_withheld=v["antworten_zurueckgehalten"],
        sign_ups=v["anmeldungen"],
        attended=v["teilnahmen"],
        hours=v["stunden"],
        first_timers=v["erstmalige"],
        returning=v["wiederkehrende"],
        participation_withheld=v["teilnahmen_zurueckgehalten"],
        split_withheld=v["aufteilung_zurueckgehalten"],
    )


async def results(today: dt.date, view: str | None) -> schemas.Results:
    """The open data's rows (suppressed exactly as the transparency pages and the CSV are,
    by `dashboards.opendata`), optionally of one view."""
    rows, catalogue = await open_data(today)
    items = [_result_row(row) for row in rows]
    if view is not None:
        items = [item for item in items if item.view == view]
    return schemas.Results(
        first_month=catalogue.period.first.strftime("%Y-%m"),
        last_month=catalogue.period.last.strftime("%Y-%m"),
        updated_at=local_time(catalogue.modified),
        minimum_group_size=catalogue.minimum,
        licence=catalogue.licence,
        items=items,
    )
