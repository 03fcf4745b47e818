"""A resident's engagement record: attended dates and confirmed reported hours, per year and
organisation, with totals (two queries, whatever the length of the record).

Hours of an attended date are what the officer recorded; when the officer marked presence
without hours, the date's length counts (the same figure the check-in suggests), and the
line says so. A reported period counts on its last day (periods stay within one year)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from boerse.engagement.tables import COUNTING_STATUSES, HoursReport, ReportStatus
from boerse.lib.formatting import local
from boerse.opportunities.tables import Attendance, SignUp, SignUpStatus

DATE = "date"
REPORT = "report"


@dataclass(frozen=True)
class Entry:
    """One line of the record: an attended date or a confirmed report."""

    kind: str
    organisation: str
    opportunity: str
    opportunity_id: int
    first_day: dt.date
    last_day: dt.date
    hours: float
    from_length: bool = False
    """An attended date without recorded hours: its length counts."""


@dataclass(frozen=True)
class OrganisationGroup:
    name: str
    entries: tuple[Entry, ...]

    @property
    def hours(self) -> float:
        return round(sum(entry.hours for entry in self.entries), 2)


@dataclass(frozen=True)
class YearGroup:
    year: int
    organisations: tuple[OrganisationGroup, ...]

    @property
    def hours(self) -> float:
        return round(sum(group.hours for group in self.organisations), 2)

    @property
    def dates(self) -> int:
        return sum(
            1 for group in self.organisations for entry in group.entries if entry.kind == DATE
        )


@dataclass(frozen=True)
class ReportRow:
    """A report as its author sees it, whatever its status."""

    id: int
    opportunity_id: int
    opportunity: str
    organisation: str
    first_day: dt.date
    last_day: dt.date
    hours: float
    note: str
    status: str
    confirmed_hours: float | None
    reason: str
    created_at: dt.datetime


def _hours_between(starts_at: dt.datetime, ends_at: dt.datetime) -> float:
    return round(max((ends_at - starts_at).total_seconds(), 0) / 3600, 2)


async def attended_entries(user_id: int) -> list[Entry]:
    rows = await SignUp.select(
        SignUp.hours,
        SignUp.session.starts_at.as_alias("starts_at"),
        SignUp.session.ends_at.as_alias("ends_at"),
        SignUp.session.opportunity.id.as_alias("opportunity_id"),
        SignUp.session.opportunity.title.as_alias("title"),
        SignUp.session.opportunity.organisation.name.as_alias("organisation"),
    ).where(
        (SignUp.user == user_id)
        & (SignUp.attendance == Attendance.ATTENDED.value)
        & (SignUp.status != SignUpStatus.CANCELLED.value)
    )
    entries = []
    for row in rows:
        day = local(row["starts_at"]).date()
        recorded = row["hours"] is not None
        entries.append(
            Entry(
                kind=DATE,
                organisation=row["organisation"],
                opportunity=row["title"],
                opportunity_id=row["opportunity_id"],
                first_day=day,
                last_day=day,
                hours=row["hours"]
                if recorded
                else _hours_between(row["starts_at"], row["ends_at"]),
                from_length=not recorded,
            )
        )
    return entries


async def report_rows(user_id: int) -> list[ReportRow]:
    rows = (
        await HoursReport.select(
            HoursReport.id,
            HoursReport.opportunity.id.as_alias("opportunity_id"),
            HoursReport.opportunity.title.as_alias("opportunity"),
            HoursReport.opportunity.organisation.name.as_alias("organisation"),
            HoursReport.first_day,
            HoursReport.last_day,
            HoursReport.hours,
            HoursReport.note,
            HoursReport.status,
            HoursReport.confirmed_hours,
            HoursReport.reason,
            HoursReport.created_at,
        )
        .where(HoursReport.user == user_id)
        .order_by(HoursReport.last_day, ascending=False)
        .order_by(HoursReport.id, ascending=False)
    )
    return [ReportRow(**row) for row in rows]


def confirmed_entries(reports: Iterable[ReportRow]) -> list[Entry]:
    return [
        Entry(
            kind=REPORT,
            organisation=report.organisation,
            opportunity=report.opportunity,
            opportunity_id=report.opportunity_id,
            first_day=report.first_day,
            last_day=report.last_day,
            hours=report.confirmed_hours or 0.0,
        )
        for report in reports
        if report.status in COUNTING_STATUSES
    ]


def by_year(entries: Iterable[Entry]) -> tuple[YearGroup, ...]:
    """Newest year first; organisations by name; lines by day."""
    years: dict[int, dict[str, list[Entry]]] = defaultdict(lambda: defaultdict(list))
    for entry in entries:
        years[entry.last_day.year][entry.organisation].append(entry)
    return tuple(
        YearGroup(
            year,
            tuple(
                OrganisationGroup(
                    name, tuple(sorted(lines, key=lambda e: (e.first_day, e.opportunity)))
                )
                for name, lines in sorted(organisations.items(), key=lambda item: item[0].lower())
            ),
        )
        for year, organisations in sorted(years.items(), reverse=True)
    )


def within(entries: Iterable[Entry], start: dt.date, end: dt.date) -> list[Entry]:
    return [entry for entry in entries if start <= entry.last_day <= end]


def total(entries: Iterable[Entry]) -> float:
    return round(sum(entry.hours for entry in entries), 2)


@dataclass(frozen=True)
class EngagementRecord:
    entries: tuple[Entry, ...]
    years: tuple[YearGroup, ...]
    reports: tuple[ReportRow, ...]

    @property
    def total_hours(self) -> float:
        return total(self.entries)

    @property
    def pending_hours(self) -> float:
        return round(
            sum(r.hours for r in self.reports if r.status == ReportStatus.PENDING.value), 2
        )


async def engagement_record(user_id: int) -> EngagementRecord:
    """Everything "Mein Engagement" lists (two queries)."""
    dates = await attended_entries(user_id)
    reports = await report_rows(user_id)
    entries = dates + confirmed_entries(reports)
    return EngagementRecord(tuple(entries), by_year(entries), tuple(reports))
