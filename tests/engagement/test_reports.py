"""Reporting hours and the officer's decision: limits, confirm, correct, reject, access."""

from __future__ import annotations

import asyncio
import datetime as dt

from boerse.accounts.tables import Role
from boerse.audit.tables import AuditEntry
from boerse.engagement import reports
from boerse.engagement.record import engagement_record
from boerse.engagement.schemas import CONFIRM, Decision
from boerse.engagement.services import today
from boerse.engagement.tables import HoursReport, ReportStatus
from tests.engagement.helpers import report, world
from tests.support.factories import make_officer, make_organisation, make_user, sign_in
from tests.support.fixtures import run_worker
from tests.support.services import body_text

REPORT_URL = "/mein-engagement/stunden-melden"
PENDING_URL = "/verwaltung/stundenmeldungen"


def fields(opportunity_id: int, **values: str) -> dict[str, str]:
    day = today() - dt.timedelta(days=1)
    return {
        "opportunity": str(opportunity_id),
        "first_day": day.isoformat(),
        "last_day": "",
        "hours": "2,5",
        "note": "Bäume gegossen",
        **values,
    }


async def test_a_resident_reports_hours_for_an_offer_they_take_part_in(client, mailbox) -> None:
    organisation, officer, opportunity, resident = await world()
    colleague = await make_officer(organisation, email="kollegin@example.org", language="en")
    await make_officer(await make_organisation(name="Bibliothek"), email="fremd@example.org")
    await sign_in(client, resident)

    form = await client.get(REPORT_URL)
    assert form.status_code == 200 and "Baumpatenschaft Süd" in form.text

    response = await client.submit(REPORT_URL, fields(opportunity.id))
    assert response.status_code == 303
    row = await HoursReport.select().first()
    assert row["hours"] == 2.5 and row["status"] == "pending" and row["note"] == "Bäume gegossen"
    assert row["first_day"] == row["last_day"] == today() - dt.timedelta(days=1)
    page = await client.get("/mein-engagement")
    assert "Wartet auf Bestätigung" in page.text
    assert (await engagement_record(resident.id)).total_hours == 0  # not confirmed yet

    await run_worker()
    assert sorted(m["To"] for m in mailbox.messages) == sorted([officer.email, colleague.email])
    (german,) = mailbox.to(officer.email)
    text = body_text(german)
    assert "Jürgen Weiß hat Stunden für „Baumpatenschaft Süd“ gemeldet" in text
    assert f"/verwaltung/stundenmeldungen/{row['id']}" in text and "2,5 Stunden" in text
    assert "Neue Stundenmeldung: Baumpatenschaft Süd" in mailbox.subjects()


async def test_limits_give_german_messages_and_keep_the_values(client) -> None:
    _organisation, _officer, opportunity, resident = await world()
    await sign_in(client, resident)
    tomorrow = (today() + dt.timedelta(days=1)).isoformat()
    cases = [
        ({"hours": "0"}, "mehr als 0 Stunden"),
        ({"hours": "-3"}, "mehr als 0 Stunden"),
        ({"hours": "25"}, "höchstens 24 Stunden"),
        ({"hours": "nan"}, "als Zahl"),
        ({"hours": ""}, "Bitte geben Sie die Stunden ein"),
        ({"first_day": tomorrow}, "in der Zukunft"),
        ({"first_day": "31.02.2026"}, "TT.MM.JJJJ"),
        (
            {"first_day": f"{today().year - 1}-12-30", "last_day": f"{today().year}-01-01"},
            "Kalenderjahr",
        ),
        (
            {
                "first_day": (today() - dt.timedelta(days=1)).isoformat(),
                "last_day": (today() - dt.timedelta(days=3)).isoformat(),
            },
            "vor dem ersten Tag",
        ),
        ({"opportunity": "999999"}, "Bitte wählen Sie das Angebot"),
        ({"note": "x" * 301}, "höchstens 300 Zeichen"),
    ]
    for values, message in cases:
        response = await client.submit(REPORT_URL, fields(opportunity.id, **values))
        assert response.status_code == 400, values
        assert message in response.text, (values, response.text[:300])
        assert "Bitte prüfen Sie Ihre Eingaben" in response.text
        for name, value in values.items():
            if value and len(value) < 40 and name != "opportunity":  # not an option to keep
                assert f'value="{value}"' in response.text or value in response.text
    assert await HoursReport.count() == 0


async def test_a_period_allows_24_hours_a_day(client) -> None:
    _organisation, _officer, opportunity, resident = await world()
    await sign_in(client, resident)
    year = today().year
    first, last = dt.date(year, 1, 1), dt.date(year, 1, 3)
    if last > today():  # the first days of a year: use last year's
        first, last = dt.date(year - 1, 1, 1), dt.date(year - 1, 1, 3)
    values = {"first_day": first.isoformat(), "last_day": last.isoformat()}
    too_many = await client.submit(REPORT_URL, fields(opportunity.id, hours="72,5", **values))
    assert too_many.status_code == 400 and "In 3 Tagen sind höchstens 72 Stunden" in too_many.text
    fine = await client.submit(REPORT_URL, fields(opportunity.id, hours="72", **values))
    assert fine.status_code == 303
    assert (await HoursReport.select(HoursReport.last_day).first())["last_day"] == last


async def test_no_report_for_an_offer_without_taking_part(client) -> None:
    _organisation, _officer, opportunity, _resident = await world()
    stranger = await make_user()
    await sign_in(client, stranger)
    page = await client.get(REPORT_URL)
    assert "Melden Sie sich zuerst für einen Termin" in page.text
    response = await client.submit(REPORT_URL, fields(opportunity.id))
    assert response.status_code == 400
    assert await HoursReport.count() == 0


async def test_officer_confirms_corrects_and_rejects(client) -> None:
    _organisation, officer, opportunity, resident = await world()
    day = today() - dt.timedelta(days=2)
    first = await report(resident, opportunity, day, 2.0)
    second = await report(resident, opportunity, day, 5.0)
    third = await report(resident, opportunity, day, 8.0)
    await sign_in(client, officer)

    listing = await client.get(PENDING_URL)
    assert (
        listing.status_code == 200 and listing.text.count('<h2 class="kern-title">Jürgen Weiß') == 3
    )

    confirmed = await client.submit(f"{PENDING_URL}/{first.id}", {"decision": "confirm"})
    assert confirmed.status_code == 303
    no_reason = await client.submit(
        f"{PENDING_URL}/{second.id}", {"decision": "correct", "hours": "3,5", "reason": ""}
    )
    assert no_reason.status_code == 400 and "Bitte begründen Sie" in no_reason.text
    assert 'value="3,5"' in no_reason.text
    corrected = await client.submit(
        f"{PENDING_URL}/{second.id}",
        {"decision": "correct", "hours": "3,5", "reason": "Anfahrt zählt nicht."},
    )
    assert corrected.status_code == 303
    rejected = await client.submit(
        f"{PENDING_URL}/{third.id}", {"decision": "reject", "reason": "War nicht bei uns."}
    )
    assert rejected.status_code == 303

    record = await engagement_record(resident.id)
    assert record.total_hours == 2.0 + 3.5
    statuses = {r.id: (r.status, r.confirmed_hours, r.reason) for r in record.reports}
    assert statuses[first.id] == ("confirmed", 2.0, "")
    assert statuses[second.id] == ("corrected", 3.5, "Anfahrt zählt nicht.")
    assert statuses[third.id] == ("rejected", None, "War nicht bei uns.")
    actions = sorted(row["action"] for row in await AuditEntry.select(AuditEntry.action))
    assert actions == ["hours_confirmed", "hours_corrected", "hours_rejected"]
    summaries = [row["summary"] for row in await AuditEntry.select(AuditEntry.summary)]
    assert all("Jürgen" not in text and "Anfahrt" not in text for text in summaries)

    await sign_in(client, resident)
    page = await client.get("/mein-engagement")
    assert "Anfahrt zählt nicht." in page.text and "War nicht bei uns." in page.text
    again = await client.submit(f"{PENDING_URL}/{first.id}", {"decision": "reject", "reason": "x"})
    assert again.status_code == 403  # a resident decides nothing


async def test_a_decided_report_stays_decided(client) -> None:
    _organisation, officer, opportunity, resident = await world()
    pending = await report(resident, opportunity, today() - dt.timedelta(days=1), 4.0)
    await sign_in(client, officer)
    await client.submit(f"{PENDING_URL}/{pending.id}", {"decision": "confirm"})
    again = await client.submit(
        f"{PENDING_URL}/{pending.id}", {"decision": "reject", "reason": "Doch nicht."}
    )
    assert again.status_code == 303
    page = await client.get(again.headers["location"])
    assert "schon entschieden" in page.text
    row = await HoursReport.select(HoursReport.status).first()
    assert row["status"] == "confirmed"


async def test_two_officers_deciding_at_once_only_one_wins() -> None:
    _organisation, officer, opportunity, resident = await world()
    pending = await report(resident, opportunity, today() - dt.timedelta(days=1), 4.0)
    loaded = await reports.report_for_decision(pending.id)
    assert loaded is not None
    outcomes = await asyncio.gather(
        *(reports.decide(loaded, Decision(CONFIRM, None, ""), officer.id) for _ in range(4))
    )
    assert sorted(outcomes) == [False, False, False, True]
    assert await AuditEntry.count() == 1


async def test_officers_see_and_decide_only_their_organisations_reports(client) -> None:
    _organisation, _officer, opportunity, resident = await world()
    pending = await report(resident, opportunity, today() - dt.timedelta(days=1), 4.0)
    outsider = await make_officer(await make_organisation(name="Bibliothek"))
    await sign_in(client, outsider)
    listing = await client.get(PENDING_URL)
    assert "Jürgen Weiß" not in listing.text and "wartet keine Meldung" in listing.text
    assert (await client.get(f"{PENDING_URL}/{pending.id}")).status_code == 403
    refused = await client.submit(f"{PENDING_URL}/{pending.id}", {"decision": "confirm"})
    assert refused.status_code == 403
    assert (await client.get(f"{PENDING_URL}/999999")).status_code == 404

    admin = await make_user(role=Role.ADMIN)
    await sign_in(client, admin)
    assert "Jürgen Weiß" in (await client.get(PENDING_URL)).text
    assert (await client.get(f"{PENDING_URL}/{pending.id}")).status_code == 200
    assert (await HoursReport.select(HoursReport.status).first())["status"] == "pending"


async def test_the_author_withdraws_a_pending_report_only(client) -> None:
    _organisation, _officer, opportunity, resident = await world()
    day = today() - dt.timedelta(days=1)
    pending = await report(resident, opportunity, day, 1.0)
    decided = await report(resident, opportunity, day, 1.0, status=ReportStatus.CONFIRMED)
    other = await make_user()
    await sign_in(client, other)
    await client.submit(f"/mein-engagement/stunden/{pending.id}/zurueckziehen")
    assert await HoursReport.count() == 2
    await sign_in(client, resident)
    await client.submit(f"/mein-engagement/stunden/{pending.id}/zurueckziehen")
    await client.submit(f"/mein-engagement/stunden/{decided.id}/zurueckziehen")
    assert [row["id"] for row in await HoursReport.select(HoursReport.id)] == [decided.id]
