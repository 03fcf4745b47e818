"""What an offer's page tells search engines and link previews: schema.org JSON-LD (the offer
as an `EventSeries`, each coming date as an `Event` with place, organiser and free places) and
OpenGraph/Twitter card tags.

The JSON is built here from typed values with `json.dumps`, never by concatenating strings in
a template, and made safe for an HTML <script> element: `<`, `>` and `&` become JSON escapes,
so a title such as "</script><script>…" stays text inside the JSON string. A JSON-LD block is
data, not code: the Content-Security-Policy does not run it."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from boerse.lib.formatting import TOWN_TIMEZONE
from boerse.lib.i18n import current_locale
from boerse.lib.i18n import gettext as _
from boerse.lib.urls import site_url
from boerse.opportunities.calendar import opportunity_url
from boerse.opportunities.tables import OpportunityStatus
from boerse.organisations.logos import logo_version
from boerse.settings import get_settings

SCHEMA = "https://schema.org/"
DESCRIPTION_LENGTH = 300


@dataclass(frozen=True)
class ShareMeta:
    """The OpenGraph and Twitter card of a page."""

    title: str
    description: str
    url: str
    type: str = "website"
    image: str = ""
    image_alt: str = ""


@dataclass(frozen=True)
class DetailMeta:
    share: ShareMeta
    json_ld: Markup
    """Ready for `<script type="application/ld+json">` (escaped for that context)."""


def site_name() -> str:
    return f"{_('Mitmach-Börse')} {get_settings().town_name}"


def script_json(data: Any) -> Markup:
    """JSON for inside a <script> element: nothing in it can close the element or open a
    comment, because every `<`, `>` and `&` is written as a JSON escape (same value)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)  # noqa: S704 - escaped for the script context just above


def shortened(text: str, limit: int = DESCRIPTION_LENGTH) -> str:
    """The beginning of a text on one line, cut at a word (for previews and feeds)."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


def detail_meta(
    opportunity: Mapping[str, Any], sessions: Sequence[Mapping[str, Any]]
) -> DetailMeta:
    """The offer page's card and structured data; `sessions` are its coming dates."""
    url = opportunity_url(opportunity["id"])
    description = shortened(opportunity["summary"] or opportunity["description"])
    logo = _logo_url(opportunity)
    share = ShareMeta(
        title=opportunity["title"],
        description=description,
        url=url,
        type="article",
        image=logo,
        image_alt=_("Logo von {name}").format(name=opportunity["organisation_name"])
        if logo
        else "",
    )
    series = _series(opportunity, url, description, logo)
    events = [_event(opportunity, session, url, description, logo) for session in sessions]
    graph = {"@context": "https://schema.org", "@graph": [series, *events]}
    return DetailMeta(share=share, json_ld=script_json(graph))


def _logo_url(opportunity: Mapping[str, Any]) -> str:
    if not opportunity.get("organisation_logo_type"):
        return ""
    version = logo_version(opportunity["organisation_updated_at"])
    return site_url(
        "organisations:logo", organisation_id=opportunity["organisation_id"], version=version
    )


def _organizer(opportunity: Mapping[str, Any]) -> dict[str, Any]:
    organizer: dict[str, Any] = {
        "@type": "Organization",
        "name": opportunity["organisation_name"],
        "url": site_url("organisations:public", organisation_id=opportunity["organisation_id"]),
    }
    website = opportunity.get("organisation_website") or ""
    if website.startswith(("https://", "http://")):
        organizer["sameAs"] = website
    return organizer


def _location(opportunity: Mapping[str, Any], url: str, note: str = "") -> dict[str, Any]:
    """A `VirtualLocation` for online offers, else a `Place` with its postal address and,
    when known, its coordinates."""
    if opportunity["is_online"]:
        return {"@type": "VirtualLocation", "url": url}
    address = {
        "@type": "PostalAddress",
        "streetAddress": opportunity["address"],
        "postalCode": opportunity["postcode"],
        "addressLocality": opportunity["locality"],
        "addressCountry": "DE",
    }
    place: dict[str, Any] = {
        "@type": "Place",
        "name": ", ".join(part for part in (opportunity.get("place_line") or "", note) if part),
        "address": {key: value for key, value in address.items() if value},
    }
    if opportunity["latitude"] is not None and opportunity["longitude"] is not None:
        place["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": opportunity["latitude"],
            "longitude": opportunity["longitude"],
        }
    return place


def _local_iso(moment: dt.datetime) -> str:
    """ISO 8601 in the town's time, with its offset (+01:00 or +02:00), to the second."""
    return moment.astimezone(TOWN_TIMEZONE).replace(microsecond=0).isoformat()


def _attendance(opportunity: Mapping[str, Any]) -> str:
    mode = "OnlineEventAttendanceMode" if opportunity["is_online"] else "OfflineEventAttendanceMode"
    return SCHEMA + mode


def _status(opportunity: Mapping[str, Any]) -> str:
    """Scheduled while the offer is published; a closed offer's dates no longer take place
    for newcomers. (A moved date is changed in place and keeps no trace of its old time, so
    EventRescheduled cannot be told; a cancelled date is deleted and not shown.)"""
    if opportunity["status"] == OpportunityStatus.CLOSED.value:
        return SCHEMA + "EventCancelled"
    return SCHEMA + "EventScheduled"


def _series(
    opportunity: Mapping[str, Any], url: str, description: str, logo: str
) -> dict[str, Any]:
    """The offer itself: an `EventSeries` its dates belong to (also for an online offer
    without dates)."""
    series: dict[str, Any] = {
        "@type": "EventSeries",
        "@id": f"{url}#angebot",
        "name": opportunity["title"],
        "description": description,
        "url": url,
        "organizer": _organizer(opportunity),
        "location": _location(opportunity, url),
        "eventAttendanceMode": _attendance(opportunity),
        "isAccessibleForFree": True,
        "inLanguage": current_locale.get(),
    }
    if opportunity.get("field_name"):
        series["about"] = opportunity["field_name"]
    if logo:
        series["image"] = logo
    return series


def _event(
    opportunity: Mapping[str, Any],
    session: Mapping[str, Any],
    url: str,
    description: str,
    logo: str,
) -> dict[str, Any]:
    free = session["free_places"]
    event: dict[str, Any] = {
        "@type": "Event",
        "@id": f"{url}#termin-{session['id']}",
        "name": opportunity["title"],
        "description": description,
        "url": url,
        "startDate": _local_iso(session["starts_at"]),
        "endDate": _local_iso(session["ends_at"]),
        "eventStatus": _status(opportunity),
        "eventAttendanceMode": _attendance(opportunity),
        "location": _location(opportunity, url, session.get("location_note") or ""),
        "organizer": _organizer(opportunity),
        "isAccessibleForFree": True,
        "maximumAttendeeCapacity": session["capacity"],
        "remainingAttendeeCapacity": free,
        "offers": {
            "@type": "Offer",
            "url": url,
            "price": 0,
            "priceCurrency": "EUR",
            "availability": SCHEMA + ("InStock" if free > 0 else "SoldOut"),
            "inventoryLevel": {"@type": "QuantitativeValue", "value": free},
        },
        "superEvent": {"@id": f"{url}#angebot"},
    }
    if logo:
        event["image"] = logo
    return event
