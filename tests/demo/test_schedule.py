"""Demo dates are derived from the day of loading: whatever that day, they must stay plausible."""

from __future__ import annotations

import datetime as dt

from boerse.demo.loader import all_offers
from boerse.demo.schedule import FIXED_HOLIDAYS, WEEKDAY_CODES, session_times
from boerse.lib.formatting import TOWN_TIMEZONE


def local_dates(today: dt.date) -> list[tuple[object, object, list[dt.date]]]:
    planned = []
    for offer in all_offers():
        taken: set[dt.date] = set()
        dates = []
        for slot in offer.slots:
            starts_at, _ = session_times(slot, today, offer.weekday, frozenset(taken))
            day = starts_at.astimezone(TOWN_TIMEZONE).date()
            taken.add(day)
            dates.append(day)
        planned.append((offer, offer.slots, dates))
    return planned


def test_dates_keep_their_side_of_today_their_weekday_and_avoid_holidays_all_year() -> None:
    for days in range(0, 366, 3):
        today = dt.date(2026, 1, 1) + dt.timedelta(days=days)
        for offer, slots, dates in local_dates(today):
            assert len(set(dates)) == len(dates), (offer.title, today)
            for slot, day in zip(slots, dates, strict=True):
                assert (day < today) == (slot.day_offset < 0), (offer.title, today)
                assert day != today
                assert (day.month, day.day) not in FIXED_HOLIDAYS
                weekday = slot.weekday or offer.weekday
                if weekday:
                    assert WEEKDAY_CODES[day.weekday()] == weekday, (offer.title, today)


def test_local_start_time_is_kept_across_daylight_saving_changes() -> None:
    offer = next(o for o in all_offers() if o.title.startswith("Repair-Café"))
    for today in (dt.date(2026, 3, 20), dt.date(2026, 10, 20)):
        for slot in offer.slots:
            starts_at, ends_at = session_times(slot, today, offer.weekday)
            assert starts_at.astimezone(TOWN_TIMEZONE).strftime("%H:%M") == slot.start
            assert ends_at - starts_at == dt.timedelta(hours=slot.hours)
