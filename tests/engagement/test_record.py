"""The record: attended dates and confirmed reports, per year and organisation, with totals."""

from __future__ import annotations

import datetime as dt

from boerse.engagement.record import DATE, REPORT, engagement_record
from boerse.engagement.tables import ReportStatus
from boerse.opportunities.tables import Attendance, SignUpStatus
from tests.engagement.helpers import attended, report, this_year, world
from tests.support.factories import make_opportunity, make_organisation, make_user


async def test_totals_per_year_and_organisation() -> None:
    _organisation, _officer, opportunity, resident = await world()
    other = await make_organisation(name="Altenhilfe Nord")
    visits = await make_opportunity(other, title="Besuchsdienst")
    year = this_year()
    await attended(resident, opportunity, dt.date(year, 1, 1), hours=2.5)
    await attended(resident, visits, dt.date(year, 1, 1), hours=1.0)
    await attended(resident, opportunity, dt.date(year - 1, 6, 3), hours=4.0)
    await attended(resident, opportunity, dt.date(year - 1, 7, 3), hours=None)  # 3 h long
    await report(
        resident,
        visits,
        dt.date(year - 1, 3, 1),
        6.0,
        dt.date(year - 1, 3, 31),
        status=ReportStatus.CONFIRMED,
    )
    await report(
        resident,
        visits,
        dt.date(year - 1, 4, 1),
        5.0,
        status=ReportStatus.CORRECTED,
        confirmed_hours=3.5,
        reason="Zwei Stunden waren Anfahrt.",
    )

    record = await engagement_record(resident.id)

    assert [y.year for y in record.years] == [year, year - 1]
    current, previous = record.years
    assert current.hours == 3.5
    assert {g.name: g.hours for g in current.organisations} == {
        "Altenhilfe Nord": 1.0,
        "Grünflächenamt": 2.5,
    }
    assert previous.hours == 4.0 + 3.0 + 6.0 + 3.5
    assert {g.name: g.hours for g in previous.organisations} == {
        "Altenhilfe Nord": 9.5,
        "Grünflächenamt": 7.0,
    }
    assert previous.dates == 2
    assert record.total_hours == 3.5 + 16.5
    by_length = [e for g in previous.organisations for e in g.entries if e.from_length]
    assert len(by_length) == 1 and by_length[0].hours == 3.0 and by_length[0].kind == DATE
    assert {e.kind for g in previous.organisations for e in g.entries} == {DATE, REPORT}


async def test_only_attended_dates_and_counting_reports_count() -> None:
    _organisation, _officer, opportunity, resident = await world()
    year = this_year()
    await attended(
        resident, opportunity, dt.date(year, 1, 1), hours=2.0, attendance=Attendance.ABSENT.value
    )
    await attended(resident, opportunity, dt.date(year, 1, 1), hours=2.0, attendance=None)
    await attended(
        resident, opportunity, dt.date(year, 1, 1), hours=2.0, status=SignUpStatus.CANCELLED.value
    )
    await report(resident, opportunity, dt.date(year, 1, 1), 7.0)  # pending
    await report(
        resident,
        opportunity,
        dt.date(year, 1, 1),
        9.0,
        status=ReportStatus.REJECTED,
        reason="Nicht bei uns.",
    )
    someone_else = await make_user()
    await attended(someone_else, opportunity, dt.date(year, 1, 1), hours=5.0)

    record = await engagement_record(resident.id)

    assert record.total_hours == 0
    assert record.years == ()
    assert record.pending_hours == 7.0
    assert sorted(r.status for r in record.reports) == ["pending", "rejected"]
    assert next(r for r in record.reports if r.status == "rejected").reason == "Nicht bei uns."
