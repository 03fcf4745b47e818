"""The feeds' files: an iCalendar subscription of dates and an Atom feed of offers.

Both are written by libraries (icalendar, feedgen on lxml), never by string templates, so
user text is escaped and folded by the format's own rules. Both are deterministic for the
same data (no "now" inside), so the hash of the body is a working ETag."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from feedgen.feed import FeedGenerator
from icalendar import Event

from boerse.feeds.services import FeedDate, FeedOffer
from boerse.lib.i18n import current_locale, ngettext
from boerse.lib.i18n import gettext as _
from boerse.lib.urls import site_url
from boerse.opportunities.calendar import calendar_text, date_uid, opportunity_url
from boerse.settings import get_settings

CACHED_CALENDARS = 16
"""Rendered calendars kept per process (the whole town's and a few filters and languages;
at most ~0.5 MB each)."""
REFRESH = dt.timedelta(hours=1)
"""How often subscribed calendars should fetch the feed again (free places change)."""

# Characters XML 1.0 cannot carry at all (lxml refuses them rather than writing broken XML).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class FeedInfo:
    """What a feed says about itself: its name, its own address (with the filters) and the
    page it mirrors (the list with the same filters, or the organisation's page)."""

    title: str
    self_url: str
    page_url: str


# --- iCalendar ---------------------------------------------------------------------------


def calendar_file(dates: list[FeedDate], info: FeedInfo) -> bytes:
    """The calendar's bytes, written once per process for the same dates, feed and language.

    icalendar needs about 1 ms per event (1.1 s for the capped 1,000 dates), while the query
    takes a few; calendar programs fetch the same unchanged feed again and again. The dates
    themselves (frozen rows, free places included) are the key, so any change is a miss."""
    return _calendar_bytes(tuple(dates), info, current_locale.get())


@functools.lru_cache(maxsize=CACHED_CALENDARS)
def _calendar_bytes(dates: tuple[FeedDate, ...], info: FeedInfo, locale: str) -> bytes:
    """`locale` is part of the key only: the words come from the request's language, which
    is the locale given (the caller passes `current_locale`)."""
    events = [_event(date) for date in dates]
    return calendar_text(events, name=info.title, refresh=REFRESH).encode()


def _event(date: FeedDate) -> Event:
    """A public date: the UID of its downloadable .ics, times in UTC (unambiguous in every
    calendar program), TRANSPARENT because an offer in the calendar is not yet a commitment."""
    url = opportunity_url(date.opportunity_id)
    event = Event()
    event.add("uid", date_uid(date.session_id))
    event.add("dtstamp", date.changed_at)
    event.add("last-modified", date.changed_at)
    event.add("dtstart", date.starts_at)
    event.add("dtend", date.ends_at)
    event.add("summary", date.title)
    if date.place:
        event.add("location", date.place)
    if date.latitude is not None and date.longitude is not None:
        event.add("geo", (date.latitude, date.longitude))
    event.add("url", url)
    event.add("description", _description(date, url))
    if date.field_name:
        event.add("categories", [date.field_name])
    event.add("status", "CONFIRMED")
    event.add("transp", "TRANSPARENT")
    event.add("class", "PUBLIC")
    return event


def _description(date: FeedDate, url: str) -> str:
    places = (
        ngettext("%(num)d Platz frei", "%(num)d Plätze frei", date.free_places)
        % {"num": date.free_places}
        + f" ({_('von {n}').format(n=date.capacity)})"
        if date.free_places
        else _("ausgebucht – Warteliste möglich")
    )
    parts = [
        date.summary,
        _("Veranstaltet von {organisation}").format(organisation=date.organisation_name),
        places,
        _("Anmeldung und alle Angaben: {url}").format(url=url),
    ]
    return "\n\n".join(part for part in parts if part)


# --- Atom --------------------------------------------------------------------------------


def atom_file(offers: list[FeedOffer], info: FeedInfo, quiet_since: dt.datetime) -> bytes:
    """RFC 4287: the feed's id is its own address (stable for the same filters), each entry's
    id the offer's address, which never changes. `quiet_since` is the feed's `updated` when
    no offer is in it."""
    settings = get_settings()
    feed = FeedGenerator()
    feed.id(info.self_url)
    feed.title(_xml(info.title))
    feed.subtitle(_xml(_("Neue Angebote zum Mitmachen in {town}").format(town=settings.town_name)))
    feed.author({"name": _xml(_site_name()), "uri": site_url("home")})
    feed.link(href=info.page_url, rel="alternate", type="text/html")
    feed.link(href=info.self_url, rel="self", type="application/atom+xml")
    feed.language(current_locale.get())
    feed.generator(_xml(_site_name()), uri=site_url("home"))
    feed.updated(max((offer.updated_at for offer in offers), default=quiet_since))
    for offer in offers:  # newest first, as feedgen appends
        url = opportunity_url(offer.id)
        entry = feed.add_entry(order="append")
        entry.id(url)
        entry.title(_xml(offer.title))
        entry.link(href=url, rel="alternate", type="text/html")
        entry.author(
            {
                "name": _xml(offer.organisation_name),
                "uri": site_url("organisations:public", organisation_id=offer.organisation_id),
            }
        )
        if offer.summary:
            entry.summary(_xml(offer.summary))
        if offer.field_name:
            entry.category(term=_xml(offer.field_name))
        entry.published(offer.published_at)
        entry.updated(offer.updated_at)
    return feed.atom_str(pretty=True)


def _site_name() -> str:
    return f"{_('Mitmach-Börse')} {get_settings().town_name}"


def _xml(text: str) -> str:
    return _NOT_XML.sub("", text)
