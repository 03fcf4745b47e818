"""The demo resident's record: two years of attended dates, reported hours in every state,
one certificate that the public check confirms; the officer has reports to decide."""

from __future__ import annotations

from boerse.demo.engagement import LAST_YEAR_DATES, demo_engagement
from boerse.engagement.certificates import format_code
from boerse.engagement.record import engagement_record
from boerse.engagement.reports import pending_reports
from boerse.engagement.tables import Certificate
from boerse.lib.db import utcnow
from tests.engagement.helpers import this_year
from tests.support.factories import (
    make_officer,
    make_opportunity,
    make_organisation,
    make_session,
    make_user,
)


async def test_demo_resident_has_two_years_reports_and_a_certificate(client) -> None:
    environment = await make_organisation(name="Amt für Umwelt und Klimaschutz")
    officer = await make_officer(environment, email="katrin@example.org")
    own = await make_opportunity(environment, title="Stadtbäume gießen")
    await make_session(own)
    other = await make_opportunity(await make_organisation(name="Seniorenbüro"), title="Besuche")
    resident = await make_user(email="anna@example.org", display_name="Anna Weber")

    await demo_engagement(utcnow(), resident.email, officer.email)

    record = await engagement_record(resident.id)
    assert [year.year for year in record.years][-1] == this_year() - 1
    assert len(record.years) == 2
    last_year = record.years[-1]
    assert last_year.dates == len(LAST_YEAR_DATES)
    assert {group.name for group in last_year.organisations} == {
        "Amt für Umwelt und Klimaschutz",
        "Seniorenbüro",
    }
    assert any(entry.from_length for group in last_year.organisations for entry in group.entries)
    assert sorted(r.status for r in record.reports) == [
        "confirmed",
        "corrected",
        "pending",
        "pending",
    ]
    assert all(r.opportunity_id == own.id for r in record.reports)
    assert len(await pending_reports(environment.id)) == 2
    assert other.id in {e.opportunity_id for e in record.entries}

    certificate = await Certificate.select().first()
    assert certificate["total_hours"] == last_year.hours
    checked = await client.get(f"/nachweis-pruefen/{format_code(certificate['code'])}")
    assert checked.status_code == 200 and "Anna Weber" in checked.text
