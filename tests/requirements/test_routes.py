"""The pages: requirements of an offer, recording proofs, my records, the qualification list."""

from __future__ import annotations

import datetime as dt

from piccolo.columns import ForeignKey

from boerse.audit.tables import AuditEntry
from boerse.lib.db import utcnow
from boerse.opportunities.tables import SignUp
from boerse.requirements import services
from boerse.requirements.tables import OpportunityRequirement, RequirementRecord
from tests.requirements.helpers import qualification_id, youth_offer
from tests.support.factories import (
    make_officer,
    make_opportunity,
    make_organisation,
    make_user,
    sign_in,
)

STORED = {
    "id",
    "user",
    "qualification",
    "issued_on",
    "relevant_entries",
    "valid_until",
    "seen_at",
    "organisation",
    "recorded_by",
    "renewal_mailed_at",
}


def test_a_record_has_no_place_for_a_copy_or_the_text_of_entries() -> None:
    """Only the fact of inspection, the date of issue and the result (plus bookkeeping)."""
    columns = {column._meta.name for column in RequirementRecord._meta.columns}
    assert columns == STORED
    assert not any(
        type(column).__name__ in {"Bytea", "Text", "JSON", "JSONB"}
        for column in RequirementRecord._meta.columns
    )


async def test_the_officer_sets_the_requirements_of_their_offer(client) -> None:
    organisation = await make_organisation()
    opportunity = await make_opportunity(organisation)
    officer = await make_officer(organisation)
    await sign_in(client, officer)
    first_aid = await qualification_id()
    page = await client.get(f"/angebote/{opportunity.id}/voraussetzungen")
    assert page.status_code == 200 and "Erste-Hilfe-Kurs" in page.text
    response = await client.submit(
        f"/angebote/{opportunity.id}/voraussetzungen",
        {"certificate": "on", "qualifications": [str(first_aid)]},
    )
    assert response.status_code == 303
    kinds = {r.kind for r in await services.requirements_of(opportunity.id)}
    assert kinds == {services.CERTIFICATE, first_aid}
    detail = await client.get(f"/angebote/{opportunity.id}")
    assert "Erweitertes Führungszeugnis" in detail.text and "Erste-Hilfe-Kurs" in detail.text

    bad = await client.submit(
        f"/angebote/{opportunity.id}/voraussetzungen", {"qualifications": ["999999"]}
    )
    assert bad.status_code == 400 and "Bitte prüfen Sie Ihre Eingaben" in bad.text
    assert await OpportunityRequirement.count() == 2


async def test_another_organisation_cannot_set_requirements(client) -> None:
    opportunity = await make_opportunity(await make_organisation())
    await sign_in(client, await make_officer(await make_organisation()))
    response = await client.submit(
        f"/angebote/{opportunity.id}/voraussetzungen", {"certificate": "on"}
    )
    assert response.status_code == 403
    assert await OpportunityRequirement.count() == 0


async def test_recording_a_certificate_by_exact_address_stores_three_facts_only(client) -> None:
    organisation = await make_organisation()
    officer = await make_officer(organisation)
    person = await make_user(email="mia@example.org", display_name="Mia")
    await sign_in(client, officer)

    found = await client.submit("/nachweise/suchen", {"email": "mia@example.org"})
    assert found.status_code == 200 and "Mia" in found.text
    missing = await client.submit("/nachweise/suchen", {"email": "nie@example.org"})
    assert missing.status_code == 400 and "kein Konto" in missing.text

    issued = (utcnow() - dt.timedelta(days=60)).date()
    response = await client.submit(
        f"/nachweise/personen/{person.id}/fuehrungszeugnis",
        {
            "email": "mia@example.org",
            "issued_on": issued.isoformat(),
            "result": "clear",
            "entries": "§ 174 StGB",
            "copy": "scan.pdf",
        },
    )
    assert response.status_code == 303
    (row,) = await RequirementRecord.select()
    assert set(row) == STORED
    assert row["issued_on"] == issued and row["relevant_entries"] is False
    assert row["organisation"] == organisation.id and row["qualification"] is None
    assert "174" not in str(row) and "scan" not in str(row)

    (entry,) = await AuditEntry.select().where(AuditEntry.action == "requirement_recorded")
    assert "ohne" not in entry["summary"] and "Einträge" not in entry["summary"]
    assert "mia@example.org" not in entry["summary"]

    page = await client.get(f"/nachweise/personen/{person.id}")
    assert page.status_code == 200 and "ohne einschlägige Einträge" in page.text


async def test_bad_certificate_input_keeps_the_values_and_saves_nothing(client) -> None:
    organisation = await make_organisation()
    person = await make_user(email="ole@example.org")
    await sign_in(client, await make_officer(organisation))
    old = (utcnow() - dt.timedelta(days=6 * 366)).date()
    response = await client.submit(
        f"/nachweise/personen/{person.id}/fuehrungszeugnis",
        {"email": "ole@example.org", "issued_on": old.isoformat(), "result": "clear"},
    )
    assert response.status_code == 400
    assert "älter als fünf Jahre" in response.text and old.isoformat() in response.text
    nonsense = await client.submit(
        f"/nachweise/personen/{person.id}/fuehrungszeugnis",
        {"email": "ole@example.org", "issued_on": "gestern", "result": "vielleicht"},
    )
    assert nonsense.status_code == 400
    assert await RequirementRecord.count() == 0


async def test_a_guessed_id_does_not_open_a_stranger(client) -> None:
    person = await make_user(email="geheim@example.org")
    await sign_in(client, await make_officer(await make_organisation()))
    assert (await client.get(f"/nachweise/personen/{person.id}")).status_code == 404
    response = await client.submit(
        f"/nachweise/personen/{person.id}/fuehrungszeugnis",
        {"issued_on": utcnow().date().isoformat(), "result": "clear"},
    )
    assert response.status_code == 404
    assert await RequirementRecord.count() == 0


async def test_the_officer_renews_and_removes_a_record_of_a_participant(client) -> None:
    organisation, _opportunity, session = await youth_offer(await qualification_id("juleica"))
    officer = await make_officer(organisation)
    person = await make_user(display_name="Paul")
    await SignUp.insert(SignUp(session=session.id, user=person.id, status="waitlisted"))
    await sign_in(client, officer)
    people = await client.get("/nachweise")
    assert "Paul" in people.text and "Jugendleiter-Card" in people.text

    juleica = await qualification_id("juleica")
    until = (utcnow() + dt.timedelta(days=400)).date()
    for valid_until in ("", until.isoformat()):
        response = await client.submit(
            f"/nachweise/personen/{person.id}/qualifikation",
            {"qualification": str(juleica), "valid_until": valid_until},
        )
        assert response.status_code == 303
    (row,) = await RequirementRecord.select()
    assert row["valid_until"] == until
    people = await client.get("/nachweise")
    assert "nichts" in people.text

    response = await client.submit(
        f"/nachweise/personen/{person.id}/entfernen", {"record": str(row["id"])}
    )
    assert response.status_code == 303
    assert await RequirementRecord.count() == 0


async def test_residents_see_their_own_records_and_when_they_go(client) -> None:
    organisation = await make_organisation(name="Jugendring")
    officer = await make_officer(organisation)
    person = await make_user()
    issued = (utcnow() - dt.timedelta(days=10)).date()
    await services.record_certificate(person.id, issued, False, organisation.id, officer.id)
    await sign_in(client, person)
    page = await client.get("/profil/nachweise")
    assert page.status_code == 200
    assert "Jugendring" in page.text and "Wird gelöscht" in page.text
    assert "ohne einschlägige Einträge" in page.text
    profile = await client.get("/profil/")
    assert "/profil/nachweise" in profile.text
    assert (await client.get("/nachweise")).status_code == 403


async def test_administrators_add_a_qualification(client) -> None:
    from boerse.accounts.tables import Role

    await sign_in(client, await make_user(role=Role.ADMIN))
    response = await client.submit("/admin/qualifikationen/", {"name": "Motorsägenschein"})
    assert response.status_code == 303
    again = await client.submit("/admin/qualifikationen/", {"name": "motorsägenschein"})
    assert again.status_code == 400 and "schon in der Liste" in again.text
    assert any(name == "Motorsägenschein" for _id, name in await services.qualification_choices())


def test_foreign_keys_of_records_cascade_with_the_person() -> None:
    user = RequirementRecord.user
    assert isinstance(user, ForeignKey) and user._foreign_key_meta.on_delete.value == "CASCADE"


async def test_the_list_shows_only_the_officers_own_dates(client) -> None:
    mine, _o1, my_date = await youth_offer(title="Unser Zeltlager")
    _theirs, _o2, their_date = await youth_offer(title="Fremdes Zeltlager")
    await SignUp.insert(
        SignUp(
            session=my_date.id,
            user=(await make_user(display_name="Eigene")).id,
            status="registered",
        ),
        SignUp(
            session=their_date.id,
            user=(await make_user(display_name="Fremde")).id,
            status="registered",
        ),
    )
    await sign_in(client, await make_officer(mine))
    page = await client.get("/nachweise")
    assert "Unser Zeltlager" in page.text and "Eigene" in page.text
    assert "Fremdes Zeltlager" not in page.text and "Fremde" not in page.text


async def test_audit_entries_never_hold_the_result(client) -> None:
    organisation = await make_organisation()
    person = await make_user(email="ben@example.org")
    await sign_in(client, await make_officer(organisation))
    issued = (utcnow() - dt.timedelta(days=3)).date()
    await client.submit(
        f"/nachweise/personen/{person.id}/fuehrungszeugnis",
        {"email": "ben@example.org", "issued_on": issued.isoformat(), "result": "entries"},
    )
    (row,) = await RequirementRecord.select(
        RequirementRecord.id, RequirementRecord.relevant_entries
    )
    assert row["relevant_entries"] is True
    await client.submit(f"/nachweise/personen/{person.id}/entfernen", {"record": str(row["id"])})
    summaries = [r["summary"] for r in await AuditEntry.select(AuditEntry.summary)]
    assert len(summaries) == 2
    for summary in summaries:
        assert "Eintr" not in summary and "72a" not in summary and issued.isoformat() not in summary
