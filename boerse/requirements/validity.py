"""When a record counts and when it must go: pure date rules, tested without a database.

- The extended certificate of conduct counts for five years from its date of issue: on the
  fifth anniversary it is five years old and still counts, from the day after it is older
  than five years and no longer does. A certificate with relevant entries never counts.
- A qualification counts up to and including its `valid_until` day (or always without one).
- Every record is deleted three months after the later of the day it was recorded and the
  end of the person's last engagement in work that requires it (§ 72a Abs. 5 SGB VIII:
  "spätestens drei Monate nach der Beendigung einer solchen Tätigkeit")."""

from __future__ import annotations

import calendar
import datetime as dt

CERTIFICATE_YEARS = 5
RENEWAL_NOTICE = dt.timedelta(weeks=6)
"""How long before the certificate runs out the person is asked for a new one."""
KEEP_MONTHS = 3


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; the month's last day when it has no such day
    (31 May + 3 months = 31 August, 30 November + 3 months = 28/29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def certificate_last_day(issued_on: dt.date) -> dt.date:
    """The last day the certificate counts: the fifth anniversary of its issue."""
    return add_months(issued_on, 12 * CERTIFICATE_YEARS)


def certificate_counts(issued_on: dt.date, relevant_entries: bool | None, on: dt.date) -> bool:
    return relevant_entries is False and issued_on <= on <= certificate_last_day(issued_on)


def qualification_counts(valid_until: dt.date | None, on: dt.date) -> bool:
    return valid_until is None or on <= valid_until


def renewal_due(issued_on: dt.date, today: dt.date) -> bool:
    """Within the notice period before the certificate runs out (or already past it)."""
    return certificate_last_day(issued_on) - RENEWAL_NOTICE <= today


def deletion_day(recorded_on: dt.date, last_engagement: dt.date | None) -> dt.date:
    """The day the record is deleted: three months after recording or after the end of
    the last engagement that needed it, whichever is later."""
    start = max(recorded_on, last_engagement) if last_engagement else recorded_on
    return add_months(start, KEEP_MONTHS)
