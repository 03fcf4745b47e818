"""Dates, numbers and ranges formatted for the current locale (German by default)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_time, format_timedelta
from babel.numbers import format_decimal

from boerse.lib.i18n import current_locale, gettext, ngettext

TOWN_TIMEZONE = ZoneInfo("Europe/Berlin")


def local(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(TOWN_TIMEZONE)


@lru_cache(maxsize=4096)
def _date(value: dt.date, form: str, locale: str) -> str:
    """Babel's date formatting costs ~0.1 ms; a survey fan-out formats the same few dates
    thousands of times."""
    return format_date(value, format=form, locale=locale)


def date_long(value: dt.datetime | dt.date) -> str:
    if isinstance(value, dt.datetime):
        value = local(value).date()
    return _date(value, "full", current_locale.get())


def date_short(value: dt.datetime | dt.date) -> str:
    if isinstance(value, dt.datetime):
        value = local(value).date()
    return _date(value, "medium", current_locale.get())


def time_short(value: dt.datetime) -> str:
    return _time(value, current_locale.get())


@lru_cache(maxsize=4096)
def _time(value: dt.datetime, locale: str) -> str:
    return format_time(local(value), format="HH:mm", locale=locale)


def datetime_short(value: dt.datetime) -> str:
    return format_datetime(local(value), format="short", locale=current_locale.get())


def session_range(starts_at: dt.datetime, ends_at: dt.datetime) -> str:
    """'Samstag, 5. Dezember 2026, 10:00–12:30' — one line a screen reader reads well."""
    start, end = local(starts_at), local(ends_at)
    if start.date() == end.date():
        return f"{date_long(start)}, {time_short(start)}–{time_short(end)}"
    return f"{date_long(start)}, {time_short(start)} – {date_long(end)}, {time_short(end)}"


def number(value: float, digits: int = 1) -> str:
    return decimal(value, "#,##0" + ("." + "#" * digits if digits else ""))


def decimal(value: float, pattern: str) -> str:
    """`value` in the current locale's digits; Babel's formatting costs ~0.1 ms a number, and a
    page of recommendations shows a distance and a few figures per card."""
    return _decimal(value, pattern, current_locale.get())


@lru_cache(maxsize=4096)
def _decimal(value: float, pattern: str, locale: str) -> str:
    return format_decimal(value, format=pattern, locale=locale)


def duration(value: dt.timedelta) -> str:
    """A rounded span for running text: "2 Tage", "17 Stunden"."""
    return format_timedelta(value, format="long", locale=current_locale.get())


def waiting_since(value: dt.timedelta) -> str:
    """'seit 4 Minuten': German needs the dative here, which Babel's spans do not give."""
    minutes = int(value.total_seconds() // 60)
    if minutes < 1:
        return gettext("seit weniger als einer Minute")
    if minutes < 120:
        return ngettext("seit %(num)s Minute", "seit %(num)s Minuten", minutes) % {"num": minutes}
    hours = minutes // 60
    if hours < 48:
        return ngettext("seit %(num)s Stunde", "seit %(num)s Stunden", hours) % {"num": hours}
    days = hours // 24
    return ngettext("seit %(num)s Tag", "seit %(num)s Tagen", days) % {"num": days}
