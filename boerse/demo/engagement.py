"""The demo resident's engagement record: attended dates over two calendar years, reported
hours (confirmed, corrected, pending) and one issued Engagementnachweis.

The rest of the demo spans eight months; these dates of last year make "Mein Engagement"
show two years, the recognition progress something to measure, and the certificate a real
period. The pending reports belong to the first officer's organisation, so that officer's
list of reports to decide is not empty."""

from __future__ import annotations

import datetime as dt

from boerse.accounts.tables import User
from boerse.demo.bulk import insert_batched
from boerse.engagement.certificates import issue
from boerse.engagement.tables import HoursReport, ReportStatus
from boerse.lib.db import write_transaction
from boerse.lib.formatting import TOWN_TIMEZONE, local
from boerse.opportunities.next_dates import refresh_next_starts
from boerse.opportunities.tables import (
    Attendance,
    Opportunity,
    OpportunitySession,
    OpportunityStatus,
    SignUp,
    SignUpStatus,
)

# (month of last year, day, start hour, length in hours, recorded hours or None)
LAST_YEAR_DATES = (
    (3, 15, 10, 3, 3.0),
    (4, 12, 10, 3, 2.5),
    (5, 17, 9, 4, None),  # presence recorded without hours: the date's length counts
    (6, 21, 10, 3, 3.0),
    (9, 13, 10, 3, 3.0),
    (10, 18, 14, 2, 2.0),
)


async def _offers(officer_email: str) -> tuple[int, int, int | None] | None:
    """The first published offer of the officer's organisation, a published offer of another
    organisation, and the officer's id."""
    officer = (
        await User.select(User.id, User.organisation).where(User.email == officer_email).first()
    )
    if officer is None or officer["organisation"] is None:
        return None
    offers = (
        await Opportunity.select(Opportunity.id, Opportunity.organisation)
        .where(Opportunity.status == OpportunityStatus.PUBLISHED.value)
        .order_by(Opportunity.id)
    )
    own = [row["id"] for row in offers if row["organisation"] == officer["organisation"]]
    other = [row["id"] for row in offers if row["organisation"] != officer["organisation"]]
    if not own or not other:
        return None
    return own[0], other[0], officer["id"]


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=TOWN_TIMEZONE)


async def demo_engagement(now: dt.datetime, resident_email: str, officer_email: str) -> None:
    resident = (
        await User.select(User.id, User.display_name).where(User.email == resident_email).first()
    )
    found = await _offers(officer_email)
    if resident is None or found is None:
        return
    own, other, officer_id = found
    today = local(now).date()
    last_year = today.year - 1
    # A stretch of this year that has passed (a single day in the first days of January).
    this_first = max(dt.date(today.year, 1, 1), today - dt.timedelta(days=40))
    this_last = max(this_first, today - dt.timedelta(days=20))
    async with write_transaction():
        sessions = []
        for index, (month, day, hour, length, _hours) in enumerate(LAST_YEAR_DATES):
            starts = _at(dt.date(last_year, month, day), hour)
            sessions.append(
                OpportunitySession(
                    opportunity=own if index % 3 else other,
                    starts_at=starts,
                    ends_at=starts + dt.timedelta(hours=length),
                    capacity=12,
                    seats_taken=1,
                )
            )
        await insert_batched(OpportunitySession, sessions)
        await refresh_next_starts([own, other])
        await insert_batched(
            SignUp,
            [
                SignUp(
                    session=session.id,
                    user=resident["id"],
                    status=SignUpStatus.CONFIRMED.value,
                    attendance=Attendance.ATTENDED.value,
                    hours=hours,
                    checkin_method="officer",
                    created_at=session.starts_at - dt.timedelta(days=10),
                    signed_up_at=session.starts_at - dt.timedelta(days=10),
                    updated_at=session.ends_at,
                )
                for session, (*_rest, hours) in zip(sessions, LAST_YEAR_DATES, strict=True)
            ],
        )
        reports = [
            HoursReport(
                user=resident["id"],
                opportunity=own,
                first_day=dt.date(last_year, 11, 1),
                last_day=dt.date(last_year, 11, 30),
                hours=12.0,
                note="Baumscheiben gegossen und gemulcht",
                status=ReportStatus.CONFIRMED.value,
                confirmed_hours=12.0,
                decided_by=officer_id,
                decided_at=_at(dt.date(last_year, 12, 5), 9),
                created_at=_at(dt.date(last_year, 12, 1), 18),
            ),
            HoursReport(
                user=resident["id"],
                opportunity=own,
                first_day=this_first,
                last_day=this_last,
                hours=10.0,
                note="Gießdienst in der Nachbarschaft organisiert",
                status=ReportStatus.CORRECTED.value,
                confirmed_hours=8.0,
                reason="Zwei der Stunden waren die Anfahrt; die zählen wir nicht mit.",
                decided_by=officer_id,
                decided_at=now - dt.timedelta(days=7),
                created_at=now - dt.timedelta(days=10),
            ),
        ]
        for days_ago, hours, note in ((9, 2.5, "Beete am Spielplatz gejätet"), (4, 1.5, "")):
            day = today - dt.timedelta(days=days_ago)
            reports.append(
                HoursReport(
                    user=resident["id"],
                    opportunity=own,
                    first_day=day,
                    last_day=day,
                    hours=hours,
                    note=note,
                    created_at=now - dt.timedelta(days=days_ago - 1),
                )
            )
        await insert_batched(HoursReport, reports)
    await issue(
        resident["id"],
        resident["display_name"],
        dt.date(last_year, 1, 1),
        dt.date(last_year, 12, 31),
    )
