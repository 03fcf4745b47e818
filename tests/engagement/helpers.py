"""Rows for the engagement tests: attended dates at chosen days, reports in a chosen state."""

from __future__ import annotations

import datetime as dt

from boerse.accounts.tables import Organisation, User
from boerse.engagement.services import today
from boerse.engagement.tables import HoursReport, ReportStatus
from boerse.lib.formatting import TOWN_TIMEZONE
from boerse.opportunities.tables import (
    Attendance,
    Opportunity,
    OpportunitySession,
    SignUp,
    SignUpStatus,
)
from tests.support.factories import make_officer, make_opportunity, make_organisation, make_user


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=TOWN_TIMEZONE)


def this_year() -> int:
    return today().year


async def attended(
    user: User,
    opportunity: Opportunity,
    day: dt.date,
    hours: float | None = 2.0,
    length: dt.timedelta = dt.timedelta(hours=3),
    attendance: str = Attendance.ATTENDED.value,
    status: str = SignUpStatus.CONFIRMED.value,
) -> SignUp:
    """A past date of the offer with the person's sign-up, presence and hours recorded."""
    session = OpportunitySession(
        opportunity=opportunity.id, starts_at=at(day), ends_at=at(day) + length, capacity=10
    )
    await session.save()
    signup = SignUp(
        session=session.id, user=user.id, status=status, attendance=attendance, hours=hours
    )
    await signup.save()
    return signup


async def report(
    user: User,
    opportunity: Opportunity,
    first_day: dt.date,
    hours: float,
    last_day: dt.date | None = None,
    status: ReportStatus = ReportStatus.PENDING,
    confirmed_hours: float | None = None,
    reason: str = "",
) -> HoursReport:
    row = HoursReport(
        user=user.id,
        opportunity=opportunity.id,
        first_day=first_day,
        last_day=last_day or first_day,
        hours=hours,
        status=status.value,
        confirmed_hours=confirmed_hours
        if confirmed_hours is not None
        else (hours if status == ReportStatus.CONFIRMED else None),
        reason=reason,
    )
    await row.save()
    return row


async def world() -> tuple[Organisation, User, Opportunity, User]:
    """An organisation with its officer and an offer, and a resident signed up for a coming
    date of it (which entitles the resident to report hours)."""
    organisation = await make_organisation(name="Grünflächenamt")
    officer = await make_officer(organisation, display_name="Olga Offizier")
    opportunity = await make_opportunity(organisation, title="Baumpatenschaft Süd")
    resident = await make_user(display_name="Jürgen Weiß")
    session = OpportunitySession(
        opportunity=opportunity.id,
        starts_at=at(today() + dt.timedelta(days=10)),
        ends_at=at(today() + dt.timedelta(days=10)) + dt.timedelta(hours=2),
        capacity=10,
        seats_taken=1,
    )
    await session.save()
    await SignUp(session=session.id, user=resident.id, status=SignUpStatus.REGISTERED.value).save()
    return organisation, officer, opportunity, resident
