"""A resident's dates: "Meine Termine", the .ics attached to emails and the private feed.

Each entry's UID is derived from the sign-up id, so a calendar that imported the email
attachment and also subscribes to the feed sees one entry, not two."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

from icalendar import Calendar, Event, vDuration
from piccolo.columns.combination import WhereRaw

from boerse.accounts.tables import User
from boerse.lib.db import CachedSelect, sql_literals, utcnow
from boerse.lib.i18n import gettext as _
from boerse.lib.urls import site_url
from boerse.opportunities.places import address_line
from boerse.opportunities.tables import (
    OpportunitySession,
    OpportunityStatus,
    SignUp,
    SignUpStatus,
)
from boerse.settings import get_settings

# How far back the feed reaches: recent dates stay visible in the calendar for a while.
FEED_PAST = dt.timedelta(days=30)
LIVE_STATUSES = (
    SignUpStatus.REGISTERED.value,
    SignUpStatus.CONFIRMED.value,
    SignUpStatus.WAITLISTED.value,
)
LIVE_SQL = sql_literals(LIVE_STATUSES)


def session_columns(base: Any) -> tuple:
    """Flat columns describing a session and its opportunity, read through `base`
    (the `OpportunitySession` table or a foreign key pointing at it)."""
    opportunity = base.opportunity
    return (
        base.id.as_alias("session_id"),
        base.starts_at.as_alias("starts_at"),
        base.ends_at.as_alias("ends_at"),
        base.capacity.as_alias("capacity"),
        base.seats_taken.as_alias("seats_taken"),
        base.location_note.as_alias("location_note"),
        opportunity.id.as_alias("opportunity_id"),
        opportunity.title.as_alias("title"),
        opportunity.summary.as_alias("summary"),
        opportunity.status.as_alias("opportunity_status"),
        opportunity.organisation.as_alias("organisation_id"),
        opportunity.is_online.as_alias("is_online"),
        opportunity.address.as_alias("address"),
        opportunity.postcode.as_alias("postcode"),
        opportunity.locality.as_alias("locality"),
        opportunity.min_age.as_alias("min_age"),
        opportunity.max_companions.as_alias("max_companions"),
        opportunity.contact_name.as_alias("contact_name"),
        opportunity.contact_email.as_alias("contact_email"),
    )


async def waitlist_positions(session_ids: list[int]) -> dict[int, int]:
    """Position (1 = next) of every waitlisted sign-up of these sessions, in one query."""
    if not session_ids:
        return {}
    rows = (
        await SignUp.select(SignUp.id, SignUp.session)
        .where(SignUp.session.is_in(session_ids) & (SignUp.status == SignUpStatus.WAITLISTED.value))
        .order_by(SignUp.waitlisted_at)
        .order_by(SignUp.id)
    )
    seen: dict[int, int] = {}
    positions: dict[int, int] = {}
    for row in rows:
        seen[row["session"]] = seen.get(row["session"], 0) + 1
        positions[row["id"]] = seen[row["session"]]
    return positions


@dataclass
class MyDates:
    upcoming: list[dict[str, Any]] = field(default_factory=list)
    past: list[dict[str, Any]] = field(default_factory=list)
    feed_url: str = ""


async def my_dates(user_id: int) -> MyDates:
    """'Meine Termine': live sign-ups split into upcoming and past, in at most three queries."""
    user = await _CALENDAR_TOKEN.first(user_id)
    rows = await _MY_SIGN_UPS.rows(user_id)
    waiting = [row["session_id"] for row in rows if row["status"] == SignUpStatus.WAITLISTED.value]
    positions = await waitlist_positions(waiting)
    now = utcnow()
    dates = MyDates(feed_url=feed_url(user["calendar_token"]) if user else "")
    for row in rows:
        row["place"] = place_text(row)
        row["waitlist_position"] = positions.get(row["id"])
        (dates.past if row["ends_at"] < now else dates.upcoming).append(row)
    dates.past.reverse()  # the most recent first
    return dates


# "Meine Termine" is visited often; its select joins sessions and offers (written once).
_CALENDAR_TOKEN = CachedSelect(
    lambda: User.select(User.calendar_token).where(WhereRaw("account_user.id = user__")).limit(1),
    "user__",
)
_MY_SIGN_UPS = CachedSelect(
    lambda: (
        SignUp.select(
            SignUp.id,
            SignUp.status,
            SignUp.attendance,
            SignUp.hours,
            SignUp.companions,
            *session_columns(SignUp.session),
        )
        .where(WhereRaw(f'sign_up."user" = user__ AND sign_up.status IN ({LIVE_SQL})'))
        .order_by(SignUp.session.starts_at)
    ),
    "user__",
)


def place_text(row: dict[str, Any]) -> str:
    """One line saying where to go: 'Online' or address, postcode and town plus the note."""
    if row["is_online"]:
        text = _("Online")
    else:
        text = address_line(row["address"], row["postcode"], row["locality"])
    note = row.get("location_note") or ""
    if note:
        return f"{text} ({note})" if text else note
    return text


def opportunity_url(opportunity_id: int) -> str:
    return site_url("opportunities:detail", opportunity_id=opportunity_id)


def feed_url(calendar_token: str) -> str:
    return site_url("signups:feed", filename=f"{calendar_token}.ics")


def _uid(kind: str, row_id: int) -> str:
    host = urlparse(get_settings().base_url).hostname or "mitmach-boerse"
    return f"{kind}-{row_id}@{host}"


def date_uid(session_id: int) -> str:
    """The UID of a published date, the same in its downloaded .ics and in the public feeds,
    so a calendar that has both shows one entry."""
    return _uid("date", session_id)


def signup_event(signup_id: int, status: str, row: dict[str, Any], now: dt.datetime) -> Event:
    """A VEVENT for one sign-up; waitlisted places are TENTATIVE so calendars show them as such."""
    return _event(_uid("signup", signup_id), status, row, now)


def _event(uid: str, status: str, row: dict[str, Any], now: dt.datetime) -> Event:
    waitlisted = status == SignUpStatus.WAITLISTED.value
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", now)
    event.add("dtstart", row["starts_at"])
    event.add("dtend", row["ends_at"])
    title = row["title"]
    event.add("summary", _("Warteliste: {title}").format(title=title) if waitlisted else title)
    place = place_text(row)
    if place:
        event.add("location", place)
    url = opportunity_url(row["opportunity_id"])
    event.add("url", url)
    event.add("description", "\n\n".join(part for part in (row.get("summary") or "", url) if part))
    event.add("status", "TENTATIVE" if waitlisted else "CONFIRMED")
    return event


def calendar_text(events: list[Event], name: str = "", refresh: dt.timedelta | None = None) -> str:
    """The calendar file; `refresh` tells subscribing programs how often to fetch it again
    (RFC 7986's REFRESH-INTERVAL and the X-PUBLISHED-TTL that Outlook reads)."""
    calendar = Calendar()
    calendar.add("prodid", f"-//Mitmach-Börse {get_settings().town_name}//DE")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    if refresh is not None:
        calendar.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", vDuration(refresh))
    for event in events:
        calendar.add_component(event)
    return calendar.to_ical().decode()


def signup_ics(signup_id: int, status: str, row: dict[str, Any]) -> str:
    """The attachment of a confirmation email: one event, the same UID as in the feed."""
    return calendar_text([signup_event(signup_id, status, row, utcnow())])


async def live_signup(user_id: int, session_id: int) -> dict[str, Any] | None:
    """The person's place or waitlist entry for a date (id, status, companions), if any."""
    return (
        await SignUp.select(SignUp.id, SignUp.status, SignUp.companions)
        .where(
            (SignUp.session == session_id)
            & (SignUp.user == user_id)
            & SignUp.status.is_in(list(LIVE_STATUSES))
        )
        .first()
    )


async def date_ics(session_id: int, user_id: int | None) -> str | None:
    """One date as a calendar file to download. For a person signed up for it, the event of
    their sign-up (the UID of the feed and of the confirmation mail, so a calendar keeps one
    entry); for anyone else the published date itself. None when there is no such public date."""
    row = (
        await OpportunitySession.select(*session_columns(OpportunitySession))
        .where(
            (OpportunitySession.id == session_id)
            & (OpportunitySession.opportunity.status == OpportunityStatus.PUBLISHED.value)
        )
        .first()
    )
    if row is None:
        return None
    now = utcnow()
    signup = await live_signup(user_id, session_id) if user_id is not None else None
    if signup is None:
        event = _event(date_uid(session_id), SignUpStatus.REGISTERED.value, row, now)
    else:
        event = signup_event(signup["id"], signup["status"], row, now)
    return calendar_text([event])


async def feed_for_token(calendar_token: str) -> str | None:
    """The private feed of one person (two queries); None for an unknown token."""
    if not calendar_token or len(calendar_token) > 64:
        return None
    user = (
        await User.select(User.id)
        .where((User.calendar_token == calendar_token) & (User.is_active == True))  # noqa: E712
        .first()
    )
    if user is None:
        return None
    now = utcnow()
    rows = (
        await SignUp.select(SignUp.id, SignUp.status, *session_columns(SignUp.session))
        .where(
            (SignUp.user == user["id"])
            & SignUp.status.is_in(list(LIVE_STATUSES))
            & (SignUp.session.ends_at >= now - FEED_PAST)
        )
        .order_by(SignUp.session.starts_at)
    )
    events = [signup_event(row["id"], row["status"], row, now) for row in rows]
    return calendar_text(events, name=_("Mitmach-Börse – Meine Termine"))
