"""The demo town shows requirements: a youth offer needing the certificate with a recorded
and an expiring one among its participants, and an offer needing a first-aid course."""

from __future__ import annotations

from boerse.demo.loader import load_demo
from boerse.demo.requirements import FIRST_AID_OFFER, YOUTH_OFFER
from boerse.opportunities.tables import Opportunity
from boerse.requirements import services, validity
from boerse.requirements.upkeep import renewals_due, today


async def test_the_demo_town_has_requirements_and_records() -> None:
    assert await load_demo() is True
    titles = {
        row["title"]: row["id"]
        for row in await Opportunity.select(Opportunity.id, Opportunity.title)
    }
    youth = await services.requirements_of(titles[YOUTH_OFFER])
    assert [r.kind for r in youth] == [services.CERTIFICATE]
    first_aid = await services.requirements_of(titles[FIRST_AID_OFFER])
    assert [r.name for r in first_aid] == ["Erste-Hilfe-Kurs"]

    people = await services.people_to_check(None)
    on_youth = [p for p in people if p.opportunity_id == titles[YOUTH_OFFER]]
    assert any(not p.missing for p in on_youth)
    records = await services.records_of_people({p.person.id for p in on_youth})
    certificates = [r for rs in records.values() for r in rs if r.is_certificate]
    assert len(certificates) == 2 and all(r.counts_today for r in certificates)
    due = await renewals_due(today())
    assert len(due) == 1
    assert validity.certificate_last_day(due[0]["issued_on"]) > today()
