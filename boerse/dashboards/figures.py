"""The typed rows of the co-assessment dashboards: additive measures per group and month.

Every measure is a count or a sum, so months add up to a period, opportunities to a field,
mode, goal or organisation, and the figures a page shows (averages, shares, rates) are
derived from sums at the very end. That is what lets a worker-built rollup per opportunity
and month answer every view, and what lets the public view check that no published figure
can be subtracted from another to reveal a group smaller than the minimum.

Months are attributed as people experience them: sign-ups, attendance and hours by the
month the session started, invitations by the month they were sent, answers by the month
the response was completed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from boerse.dashboards.freshness import Freshness


class Dimension(StrEnum):
    """What a dashboard groups by; the values appear in URLs (German, like every path)."""

    OPPORTUNITY = "angebot"
    FIELD = "handlungsfeld"
    GOAL = "wirkungsziel"
    MODE = "modus"


def month_start(day: dt.date) -> dt.date:
    return dt.date(day.year, day.month, 1)


def add_months(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """Whole months from `first` to `last`, both included (first days of the months)."""

    first: dt.date
    last: dt.date

    @property
    def months(self) -> list[dt.date]:
        count = (self.last.year - self.first.year) * 12 + self.last.month - self.first.month
        return [add_months(self.first, offset) for offset in range(count + 1)]

    def previous(self) -> Period:
        """The period of the same length just before this one, for comparisons."""
        length = len(self.months)
        return Period(add_months(self.first, -length), add_months(self.first, -1))

    @classmethod
    def last_months(cls, count: int, today: dt.date) -> Period:
        """The `count` months up to and including the current one."""
        last = month_start(today)
        return cls(add_months(last, 1 - count), last)


@dataclass(frozen=True)
class Scope:
    """Whose opportunities count: one organisation's (officers) or the whole town's
    (administration); `public` keeps only opportunities that were ever published."""

    organisation_id: int | None = None
    public: bool = False


@dataclass(frozen=True)
class Measures:
    """Additive figures of a group of opportunities in some months."""

    sign_ups: int = 0
    """Places held (confirmed or attended), cancellations and waitlist excluded."""
    attended: int = 0
    """Held places not recorded absent, of sessions that have ended."""
    hours: float = 0.0
    """Hours officers recorded."""
    first_timers: int = 0
    """Attended places that were the person's first participation in the Börse at all."""
    invitations: int = 0
    """Survey invitations sent."""
    responses: int = 0
    """Completed questionnaire responses."""
    rating_points: float = 0.0
    rating_answers: int = 0
    """The overall rating (the first rating question of each version, 1 to 5 stars)."""
    agreeing: int = 0
    agreement_answers: int = 0
    """Answers to agreement questions marked as indicators of a goal, and how many of them
    agreed (++ or +); "weiß nicht" is not counted."""

    def __add__(self, other: Measures) -> Measures:
        return Measures(
            self.sign_ups + other.sign_ups,
            self.attended + other.attended,
            self.hours + other.hours,
            self.first_timers + other.first_timers,
            self.invitations + other.invitations,
            self.responses + other.responses,
            self.rating_points + other.rating_points,
            self.rating_answers + other.rating_answers,
            self.agreeing + other.agreeing,
            self.agreement_answers + other.agreement_answers,
        )

    @property
    def returning(self) -> int:
        return self.attended - self.first_timers

    @property
    def response_rate(self) -> float | None:
        """Percent of invitations answered; None before anyone was invited."""
        if not self.invitations:
            return None
        return min(100.0, 100 * self.responses / self.invitations)

    @property
    def average_rating(self) -> float | None:
        return self.rating_points / self.rating_answers if self.rating_answers else None

    @property
    def agreement_share(self) -> float | None:
        """Percent of indicator answers that agreed; None without such answers."""
        if not self.agreement_answers:
            return None
        return 100 * self.agreeing / self.agreement_answers


@dataclass(frozen=True)
class MonthMeasures:
    month: dt.date
    measures: Measures


@dataclass(frozen=True)
class GroupFigures:
    """One line of a dashboard: an opportunity, field, goal or mode."""

    key: str
    """The group's id or mode value, as it appears in links and CSV."""
    label: str
    """The title, field or goal name as stored; a mode's msgid (translate with `_()`)."""
    total: Measures
    months: list[MonthMeasures]
    """Every month of the period in order, with empty Measures where nothing happened."""
    previous: Measures
    """The same group in the period before, for the comparison."""
    organisation_id: int | None = None
    """Set for opportunities, so links can go to the officer's results page."""


@dataclass(frozen=True)
class Dashboard:
    dimension: Dimension
    period: Period
    scope: Scope
    groups: list[GroupFigures]
    overall: GroupFigures
    """The whole scope (all of the organisation's or the town's opportunities)."""
    freshness: Freshness
    town: GroupFigures | None = None
    """For an organisation's dashboard, the town as a whole, to compare against."""
    more: int = 0
    """Groups left off beyond the limit (only opportunities are ever that many)."""
    filters: dict[str, str] = field(default_factory=dict)
    """The field / mode / goal the opportunities were narrowed to, as given."""
