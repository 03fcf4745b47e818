"""The public feeds: all published dates as an iCalendar subscription and the newest offers
as Atom, for the whole list (with its filters) and for one organisation.

Programs, not people, read these addresses, so a filter they cannot use is a 400 that says
why (the list page instead drops it and shows a message). The responses carry no cookie and
the same bytes for everyone, so they are publicly cacheable and answer a repeated request
with 304."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from email.utils import format_datetime, parsedate_to_datetime
from urllib.parse import urlencode

from litestar import Controller, HttpMethod, Request, Response, route
from litestar.params import FromPath

from boerse.feeds import formats, services
from boerse.lib.caching import etag_matches
from boerse.lib.db import utcnow
from boerse.lib.i18n import gettext as _
from boerse.lib.urls import site_url
from boerse.opportunities.schemas import FILTER_NAMES, SearchFilters, parse_filters
from boerse.organisations.rules import access_organisation
from boerse.profiles.taxonomy import Taxonomy
from boerse.profiles.taxonomy import current as current_taxonomy
from boerse.settings import get_settings

CALENDAR_TYPE = "text/calendar"
ATOM_TYPE = "application/atom+xml"
CACHE_CONTROL = "public, max-age=900"


class BadFiltersError(Exception):
    """A filter the list would drop with a message: a feed program would never show it."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__(messages)
        self.messages = messages


_ROUTES = {
    ("calendar", False): "feeds:calendar",
    ("calendar", True): "feeds:organisation_calendar",
    ("atom", False): "feeds:atom",
    ("atom", True): "feeds:organisation_atom",
}


async def _setup(
    request: Request, kind: str, organisation: dict | None
) -> tuple[SearchFilters, formats.FeedInfo]:
    """The list page's filters from the query (BadFiltersError instead of silently dropped ones)
    and what the feed says about itself."""
    taxonomy = await current_taxonomy()
    filters = parse_filters(request.query_params, taxonomy)
    if filters.messages:
        raise BadFiltersError(filters.messages)
    query = _query(request)
    if organisation is None:
        self_url = site_url(_ROUTES[kind, False]) + query
        page_url = site_url("opportunities:list") + query
    else:
        params = {"organisation_id": organisation["id"]}
        self_url = site_url(_ROUTES[kind, True], **params) + query
        page_url = site_url("organisations:public", **params)
        filters = dataclasses.replace(filters, organisation_id=organisation["id"])
    title = _title(kind, filters, taxonomy, organisation["name"] if organisation else "")
    return dataclasses.replace(filters, page=1), formats.FeedInfo(title, self_url, page_url)


def _query(request: Request) -> str:
    """The filters as typed (list parameters only, in the list's order), for the feed's own
    address and the page it mirrors."""
    pairs = [
        (name, value)
        for name in FILTER_NAMES
        for value in request.query_params.getall(name, [])
        if value
    ]
    return f"?{urlencode(pairs)}" if pairs else ""


def _title(kind: str, filters: SearchFilters, taxonomy: Taxonomy, organisation: str) -> str:
    """'Mitmach-Börse <town> – Termine' with the organisation and the field, when chosen."""
    words = [_("Termine") if kind == "calendar" else _("Neue Angebote")]
    if organisation:
        words.append(organisation)
    if filters.field:
        words.append(taxonomy.labels("fields").get(filters.field, filters.field))
    return f"{_('Mitmach-Börse')} {get_settings().town_name} – {' · '.join(words)}"


def _bad_request(error: BadFiltersError) -> Response:
    lines = [_("Dieser Feed kann mit diesen Filtern nicht erstellt werden:"), *error.messages]
    return Response(
        "\n".join(lines) + "\n",
        media_type="text/plain",
        status_code=400,
        headers={"Cache-Control": "no-store"},
    )


def _not_modified(request: Request, etag: str, last_modified: dt.datetime | None) -> bool:
    """RFC 9110 13.2.2: If-None-Match decides when present; If-Modified-Since only without it."""
    if_none_match = request.headers.get("if-none-match")
    if if_none_match:
        return etag_matches(if_none_match, etag)
    since = request.headers.get("if-modified-since")
    if not since or last_modified is None:
        return False
    try:
        moment = parsedate_to_datetime(since)
    except (TypeError, ValueError, IndexError):
        return False
    if moment.tzinfo is None:
        return False
    return last_modified.replace(microsecond=0) <= moment


def _feed_response(
    request: Request,
    body: bytes,
    media_type: str,
    filename: str,
    last_modified: dt.datetime | None = None,
) -> Response:
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {
        "ETag": etag,
        "Cache-Control": CACHE_CONTROL,
        # The words in the feed follow the language (cookie, Accept-Language).
        "Vary": "Accept-Language, Cookie",
        "Content-Disposition": f'inline; filename="{filename}"',
        "X-Content-Type-Options": "nosniff",
    }
    if last_modified is not None:
        headers["Last-Modified"] = format_datetime(last_modified.astimezone(dt.UTC), usegmt=True)
    if _not_modified(request, etag, last_modified):
        return Response(b"", status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)


async def _calendar(request: Request, organisation: dict | None) -> Response:
    try:
        filters, info = await _setup(request, "calendar", organisation)
    except BadFiltersError as error:
        return _bad_request(error)
    dates = await services.calendar_dates(filters, utcnow())
    body = formats.calendar_file(dates, info)
    return _feed_response(request, body, CALENDAR_TYPE, "mitmach-boerse-termine.ics")


async def _atom(request: Request, organisation: dict | None) -> Response:
    try:
        filters, info = await _setup(request, "atom", organisation)
    except BadFiltersError as error:
        return _bad_request(error)
    now = utcnow()
    offers = await services.newest_offers(filters, now)
    # Without offers the feed says it changed at the start of the day: the same bytes (and
    # ETag) all day rather than a new "now" on every fetch.
    quiet_since = dt.datetime.combine(now.date(), dt.time(), tzinfo=dt.UTC)
    body = formats.atom_file(offers, info, quiet_since)
    last_modified = max((offer.updated_at for offer in offers), default=quiet_since)
    return _feed_response(request, body, ATOM_TYPE, "mitmach-boerse-angebote.atom", last_modified)


# GET and HEAD (calendar programs check a subscription with HEAD); no CSRF cookie: a publicly
# cacheable response must not set one, and a feed carries no form.
_FEED_ROUTE = {"http_method": [HttpMethod.GET, HttpMethod.HEAD], "exclude_from_csrf": True}


class FeedController(Controller):
    @route("/angebote/kalender.ics", name="feeds:calendar", **_FEED_ROUTE)
    async def calendar(self, request: Request) -> Response:
        """Every published date matching the list's filters, to subscribe to."""
        return await _calendar(request, None)

    @route("/angebote/feed.atom", name="feeds:atom", **_FEED_ROUTE)
    async def atom(self, request: Request) -> Response:
        """The newest offers matching the list's filters."""
        return await _atom(request, None)

    @route(
        "/organisationen/{organisation_id:int}/kalender.ics",
        name="feeds:organisation_calendar",
        **_FEED_ROUTE,
    )
    async def organisation_calendar(
        self, request: Request, organisation_id: FromPath[int]
    ) -> Response:
        """The dates of one organisation's offers (filters as on the list)."""
        return await _calendar(request, await access_organisation(request.user, organisation_id))

    @route(
        "/organisationen/{organisation_id:int}/feed.atom",
        name="feeds:organisation_atom",
        **_FEED_ROUTE,
    )
    async def organisation_atom(self, request: Request, organisation_id: FromPath[int]) -> Response:
        """One organisation's newest offers (filters as on the list)."""
        return await _atom(request, await access_organisation(request.user, organisation_id))


CONTROLLERS = [FeedController]
