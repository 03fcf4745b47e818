"""The API's query parameters turned into the public list's `SearchFilters`, every problem
named: a client gets a 400 saying which parameter is wrong and why, never a silently
ignored filter (the list page, for people, drops a bad filter with a message instead)."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import re
from dataclasses import dataclass

from boerse.api.problems import BadParametersError, InvalidParam, bad_parameter
from boerse.lib import geo
from boerse.lib.i18n import gettext as _
from boerse.opportunities.schemas import MAX_RADIUS_KM, MAX_SEARCH_TEXT, SearchFilters
from boerse.profiles.accessibility import ACCESSIBILITY_SLUGS
from boerse.profiles.taxonomy import Taxonomy

RFC_3339_INSTANT = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:[Zz]|[+-]\d{2}:\d{2})"
)
"""An instant as the OpenAPI `date-time` format means it (RFC 3339, offset required); taken
as text because Litestar would also take a bare number as seconds since 1970."""

MAX_PAGE = 10_000
"""Cursors beyond this page are refused (no one pages that far; it bounds the offset)."""


@dataclass(frozen=True)
class OpportunityQuery:
    """The opportunity list's parameters as Litestar typed them (types and ranges checked)."""

    mode: str | None = None
    field: str | None = None
    skill: str | None = None
    language: str | None = None
    q: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    online: bool = False
    accessible: bool = False
    needs: tuple[str, ...] = ()
    postcode: str | None = None
    radius_km: int | None = None
    organisation: int | None = None
    changed_since: str | None = None
    sort: str = "next"
    cursor: str | None = None


def encode_cursor(position: int) -> str:
    """Opaque to clients: a position in the ordered result, not a page size."""
    raw = json.dumps({"p": position}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, maximum: int = MAX_PAGE) -> int:
    """The position a cursor stands for (1 without one); 400 for anything we did not issue."""
    if not cursor:
        return 1
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        position = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))["p"]
    except (ValueError, KeyError, TypeError, UnicodeError, binascii.Error):
        raise bad_parameter("cursor", _("Kein Cursor dieser API; bitte `next` folgen.")) from None
    if not isinstance(position, int) or isinstance(position, bool) or not 1 <= position <= maximum:
        raise bad_parameter("cursor", _("Kein Cursor dieser API; bitte `next` folgen."))
    return position


def parse_instant(value: str) -> dt.datetime | None:
    """The UTC instant of an RFC 3339 date-time, or None for anything else."""
    if not RFC_3339_INSTANT.fullmatch(value):
        return None
    try:
        return dt.datetime.fromisoformat(value.upper()).astimezone(dt.UTC)
    except ValueError:  # a 31 February or a 25th hour
        return None


def _known(name: str, value: str | None, allowed: set[str], invalid: list[InvalidParam]) -> str:
    value = (value or "").strip()
    if value and value not in allowed:
        invalid.append(
            InvalidParam(
                name,
                _("Unbekannter Wert „{value}“; die Liste nennt die bekannten.").format(value=value),
            )
        )
        return ""
    return value


def search_filters(query: OpportunityQuery, taxonomy: Taxonomy) -> SearchFilters:
    """The filters of the public list for these parameters, or every problem at once."""
    invalid: list[InvalidParam] = []
    filters = SearchFilters(
        mode=query.mode or "",
        field=_known("field", query.field, taxonomy.slugs("fields"), invalid),
        skill=_known("skill", query.skill, taxonomy.slugs("skills"), invalid),
        language=_known("language", query.language, taxonomy.slugs("languages"), invalid),
        text=" ".join((query.q or "").split()),
        accessible=query.accessible,
        online_only=query.online,
        organisation_id=query.organisation,
        date_from=query.date_from,
        date_to=query.date_to,
        sort=query.sort,
    )
    if len(filters.text) > MAX_SEARCH_TEXT:
        invalid.append(InvalidParam("q", _("Höchstens {n} Zeichen.").format(n=MAX_SEARCH_TEXT)))
    unknown_needs = set(query.needs) - ACCESSIBILITY_SLUGS
    if unknown_needs:
        invalid.append(
            InvalidParam(
                "barrier_free",
                _("Unbekannte Merkmale: {slugs}.").format(slugs=", ".join(sorted(unknown_needs))),
            )
        )
    filters.needs = tuple(sorted(set(query.needs) & ACCESSIBILITY_SLUGS))
    if query.date_from and query.date_to and query.date_to < query.date_from:
        invalid.append(InvalidParam("to", _("Liegt vor `from`.")))
    if query.changed_since is not None:
        instant = parse_instant(query.changed_since)
        if instant is None:
            invalid.append(
                InvalidParam(
                    "changed_since",
                    _("Ein Zeitpunkt mit Zeitzone, z. B. 2026-12-01T08:00:00+01:00 oder …Z."),
                )
            )
        else:
            filters.changed_since = instant
    _place(query, filters, invalid)
    if invalid:
        raise BadParametersError(invalid)
    filters.page = decode_cursor(query.cursor)
    return filters


def _place(query: OpportunityQuery, filters: SearchFilters, invalid: list[InvalidParam]) -> None:
    """Postcode → place (offline gazetteer); a radius or the distance order needs one."""
    if query.postcode is not None and query.postcode.strip():
        postcode = geo.normalise_postcode(query.postcode)
        place = geo.place_of_postcode(postcode) if geo.is_valid_postcode(postcode) else None
        if place is None:
            invalid.append(
                InvalidParam("postcode", _("Keine bekannte deutsche Postleitzahl (fünf Ziffern)."))
            )
        else:
            filters.postcode, filters.place = postcode, place
    if query.radius_km is not None:
        if not 1 <= query.radius_km <= MAX_RADIUS_KM:
            invalid.append(
                InvalidParam(
                    "radius_km", _("Eine ganze Zahl von 1 bis {high}.").format(high=MAX_RADIUS_KM)
                )
            )
        elif filters.place is None and not any(i.name == "postcode" for i in invalid):
            invalid.append(InvalidParam("radius_km", _("Braucht eine `postcode`.")))
        else:
            filters.radius_km = query.radius_km
    postcode_refused = any(i.name == "postcode" for i in invalid)
    if query.sort == "distance" and filters.place is None and not postcode_refused:
        invalid.append(InvalidParam("sort", _("`distance` braucht eine `postcode`.")))
