"""The officer's participant list: access, confirm, cancel, attendance and hours, CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io

from boerse.accounts.tables import Role, User
from boerse.audit.tables import AuditEntry
from boerse.lib.db import utcnow
from boerse.opportunities import signups
from boerse.opportunities.tables import OpportunitySession, SignUp
from tests.support.factories import (
    make_officer,
    make_opportunity,
    make_organisation,
    make_profile,
    make_session,
    make_user,
    sign_in,
)
from tests.support.fixtures import run_worker
from tests.support.services import Mailbox, body_text


async def setting(capacity: int = 2, starts_in: dt.timedelta = dt.timedelta(days=2)):
    """An organisation, its officer, and a session with sign-ups made while it was open."""
    organisation = await make_organisation()
    officer = await make_officer(organisation)
    opportunity = await make_opportunity(organisation, title="Lesepaten")
    session = await make_session(opportunity, capacity=capacity)
    people = [
        await make_user(email="anna@example.org", display_name="Anna Amsel"),
        await make_user(email="ben@example.org", display_name="=Ben Buch"),
        await make_user(email="cleo@example.org", display_name="Cleo Christ"),
    ]
    for person in people:
        await signups.sign_up(person.id, session.id)
    if starts_in != dt.timedelta(days=2):
        start = utcnow() + starts_in
        await OpportunitySession.update(
            {
                OpportunitySession.starts_at: start,
                OpportunitySession.ends_at: start + dt.timedelta(hours=2),
            }
        ).where(OpportunitySession.id == session.id)
    ids = {
        row["user"]: row["id"]
        for row in await SignUp.select(SignUp.id, SignUp.user).where(SignUp.session == session.id)
    }
    return officer, session, people, [ids[person.id] for person in people]


async def status_of(signup_id: int) -> str:
    return (await SignUp.select(SignUp.status).where(SignUp.id == signup_id).first())["status"]


def url(session) -> str:
    return f"/verwaltung/termine/{session.id}/teilnehmende"


async def test_officer_sees_participants_and_waitlist(client) -> None:
    officer, session, _, _ = await setting()
    await sign_in(client, officer)

    response = await client.get(url(session))

    assert response.status_code == 200
    page = response.text
    taking, _, waiting = page.partition('id="warteliste"')
    assert "Anna Amsel" in taking and "anna@example.org" in taking
    assert "Cleo Christ" in waiting and "Cleo Christ" not in taking
    assert "2 von 2 Plätzen belegt" in page


async def test_other_organisations_residents_and_strangers_are_kept_out(client) -> None:
    _, session, people, _ = await setting()

    await sign_in(client, await make_officer(await make_organisation()))
    assert (await client.get(url(session))).status_code == 403
    assert (await client.get(url(session) + ".csv")).status_code == 403
    assert (await client.submit(url(session), {})).status_code == 403
    await sign_in(client, people[0])
    assert (await client.get(url(session))).status_code == 403
    await sign_in(client, await make_user(role=Role.ADMIN))
    assert (await client.get(url(session))).status_code == 200
    assert (await client.get("/verwaltung/termine/999999/teilnehmende")).status_code == 404


async def test_officer_of_another_organisation_cannot_cancel_anyone(client) -> None:
    _, session, _, signup_ids = await setting()
    await sign_in(client, await make_officer(await make_organisation()))

    response = await client.submit(f"{url(session)}/{signup_ids[0]}/absagen")

    assert response.status_code == 403
    assert await status_of(signup_ids[0]) == "registered"


async def test_confirming_a_participant(client) -> None:
    officer, session, _, signup_ids = await setting()
    await sign_in(client, officer)

    response = await client.submit(f"{url(session)}/{signup_ids[0]}/bestaetigen")

    assert response.status_code == 303
    assert "boerse_notice=participant_confirmed" in response.headers["set-cookie"]
    assert await status_of(signup_ids[0]) == "confirmed"
    assert await status_of(signup_ids[2]) == "waitlisted"  # the waitlist cannot be confirmed
    await client.submit(f"{url(session)}/{signup_ids[2]}/bestaetigen")
    assert await status_of(signup_ids[2]) == "waitlisted"


async def test_cancelling_a_participant_tells_them_and_promotes(client, mailbox: Mailbox) -> None:
    officer, session, _, signup_ids = await setting()
    await run_worker()
    mailbox.clear()
    await sign_in(client, officer)

    response = await client.submit(f"{url(session)}/{signup_ids[0]}/absagen")

    assert "boerse_notice=participant_cancelled" in response.headers["set-cookie"]
    assert await status_of(signup_ids[0]) == "cancelled"
    assert await status_of(signup_ids[2]) == "registered"
    await run_worker()
    assert sorted(mailbox.subjects()) == ["Abgesagt: Lesepaten", "Sie haben einen Platz: Lesepaten"]
    [message] = mailbox.to("anna@example.org")
    assert "abgesagt" in body_text(message)


async def test_attendance_and_hours_for_everyone_in_one_form(client) -> None:
    officer, session, _, signup_ids = await setting(starts_in=dt.timedelta(hours=-3))
    await sign_in(client, officer)
    anna, ben, cleo = signup_ids

    response = await client.submit(
        url(session),
        {
            f"attendance-{anna}": "attended",
            f"hours-{anna}": "1,5",
            f"attendance-{ben}": "absent",
            f"hours-{ben}": "",
            f"attendance-{cleo}": "attended",  # waitlisted: not part of the form, ignored
            f"hours-{cleo}": "3",
        },
    )

    assert response.status_code == 303
    assert "boerse_notice=attendance_saved" in response.headers["set-cookie"]
    rows = {
        row["id"]: row for row in await SignUp.select(SignUp.id, SignUp.attendance, SignUp.hours)
    }
    assert (rows[anna]["attendance"], rows[anna]["hours"]) == ("attended", 1.5)
    assert (rows[ben]["attendance"], rows[ben]["hours"]) == ("absent", None)
    assert (rows[cleo]["attendance"], rows[cleo]["hours"]) == (None, None)
    page = (await client.get(url(session))).text
    assert 'value="1,5"' in page


async def test_a_form_without_someones_fields_keeps_their_recorded_attendance(client) -> None:
    officer, session, _, signup_ids = await setting(starts_in=dt.timedelta(hours=-3))
    await sign_in(client, officer)
    anna, ben, _ = signup_ids
    recorded = {
        f"attendance-{anna}": "attended",
        f"hours-{anna}": "2",
        f"attendance-{ben}": "absent",
    }
    assert (await client.submit(url(session), recorded)).status_code == 303

    empty = await client.submit(url(session), {})
    only_anna = await client.submit(
        url(session), {f"attendance-{anna}": "attended", f"hours-{anna}": "1,5"}
    )

    assert empty.status_code == 400
    assert "keine Angaben zur Anwesenheit angekommen" in empty.text
    assert only_anna.status_code == 303
    rows = {
        row["id"]: row for row in await SignUp.select(SignUp.id, SignUp.attendance, SignUp.hours)
    }
    assert (rows[anna]["attendance"], rows[anna]["hours"]) == ("attended", 1.5)
    assert (rows[ben]["attendance"], rows[ben]["hours"]) == ("absent", None)


async def test_bad_hours_show_clear_messages_and_save_nothing(client) -> None:
    officer, session, _, signup_ids = await setting(starts_in=dt.timedelta(hours=-3))
    await sign_in(client, officer)
    anna, ben, _ = signup_ids

    response = await client.submit(
        url(session),
        {
            f"attendance-{anna}": "attended",
            f"hours-{anna}": "25",
            f"attendance-{ben}": "absent",
            f"hours-{ben}": "zwei",
        },
    )

    assert response.status_code == 400
    page = response.text
    assert "Bitte prüfen Sie Ihre Eingaben" in page
    assert "Anna Amsel: Höchstens 2 Stunden: So lange dauert der Termin." in page
    assert "Bitte geben Sie eine Zahl ein, z. B. 2,5." in page
    assert 'value="25"' in page and 'value="zwei"' in page
    assert f'href="#f-hours-{anna}"' in page
    rows = await SignUp.select(SignUp.attendance, SignUp.hours)
    assert all(row["attendance"] is None and row["hours"] is None for row in rows)


async def test_hours_for_an_absent_person_are_refused(client) -> None:
    officer, session, _, signup_ids = await setting(starts_in=dt.timedelta(hours=-3))
    await sign_in(client, officer)

    response = await client.submit(
        url(session), {f"attendance-{signup_ids[0]}": "absent", f"hours-{signup_ids[0]}": "2"}
    )

    assert response.status_code == 400
    assert "bitte keine Stunden eintragen" in response.text
    assert (await SignUp.select(SignUp.attendance).where(SignUp.id == signup_ids[0]))[0][
        "attendance"
    ] is None


async def test_attendance_waits_for_the_session_to_begin(client) -> None:
    officer, session, _, signup_ids = await setting()
    await sign_in(client, officer)

    page = (await client.get(url(session))).text
    assert 'id="anwesenheit"' not in page

    response = await client.submit(url(session), {f"attendance-{signup_ids[0]}": "attended"})
    assert response.status_code == 400
    assert "erst ab Beginn des Termins" in response.text
    assert (await SignUp.select(SignUp.attendance).where(SignUp.id == signup_ids[0]))[0][
        "attendance"
    ] is None


async def test_csv_export_opens_in_german_excel(client) -> None:
    officer, session, _, signup_ids = await setting(starts_in=dt.timedelta(hours=-3))
    await SignUp.update({SignUp.attendance: "attended", SignUp.hours: 1.5}).where(
        SignUp.id == signup_ids[0]
    )
    await sign_in(client, officer)

    response = await client.get(url(session) + ".csv")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="teilnehmende-')
    assert disposition.endswith('-lesepaten.csv"')
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:6] == ["Name", "E-Mail", "Status", "Wartelistenplatz", "Anwesenheit", "Stunden"]
    assert rows[1][:6] == [
        "Anna Amsel",
        "anna@example.org",
        "Angemeldet",
        "",
        "Teilgenommen",
        "1,5",
    ]
    assert rows[2][0] == "'=Ben Buch"  # no formula injection into spreadsheets
    assert rows[3][:4] == ["Cleo Christ", "cleo@example.org", "Warteliste", "1"]


async def test_participant_list_runs_a_fixed_number_of_queries(client, count_queries) -> None:
    officer, session, _, _ = await setting(capacity=2, starts_in=dt.timedelta(hours=-1))
    await sign_in(client, officer)
    with count_queries() as few:
        assert (await client.get(url(session))).status_code == 200

    for _ in range(8):
        await SignUp.insert(
            SignUp(
                session=session.id,
                user=(await make_user()).id,
                status="waitlisted",
                waitlisted_at=utcnow(),
            )
        )
    await OpportunitySession.update({OpportunitySession.capacity: 10}).where(
        OpportunitySession.id == session.id
    )
    for _ in range(5):
        await SignUp.insert(
            SignUp(session=session.id, user=(await make_user()).id, status="registered")
        )
    with count_queries() as many:
        assert (await client.get(url(session))).status_code == 200

    assert many.count == few.count <= 4


# ---------------------------------------------------------------- added by hand, needs


async def test_officer_adds_a_participant_by_hand_with_the_normal_mail(
    client, mailbox: Mailbox
) -> None:
    officer, session, _, _ = await setting(capacity=4)
    await run_worker()
    mailbox.clear()
    await sign_in(client, officer)
    add = url(session) + "/hinzufuegen"

    bad = await client.submit(add, {"name": "Dora Dorn", "email": "dora@"})
    added = await client.submit(add, {"name": "Dora Dorn", "email": "Dora@Example.org"})
    waiting = await client.submit(add, {"name": "Emil Eck", "email": "emil@example.org"})
    again = await client.submit(add, {"name": "Anna", "email": "anna@example.org"})

    assert bad.status_code == 400 and 'value="dora@"' in bad.text
    assert "gültige E-Mail-Adresse" in bad.text
    assert "boerse_notice=participant_added" in added.headers["set-cookie"]
    assert "boerse_notice=participant_added_waiting" in waiting.headers["set-cookie"]
    assert again.status_code == 400 and "schon angemeldet" in again.text
    guest = await User.objects().get(User.email == "dora@example.org")
    assert guest.role == Role.GUEST.value and guest.display_name == "Dora Dorn"
    rows = {
        row["email"]: row["status"]
        for row in await SignUp.select(SignUp.user.email.as_alias("email"), SignUp.status)
    }
    assert rows["dora@example.org"] == "registered"
    assert rows["emil@example.org"] == "waitlisted"
    assert await SignUp.count() == 5  # Anna was not added twice
    await run_worker()
    assert sorted(mailbox.subjects()) == ["Ihre Anmeldung: Lesepaten", "Warteliste: Lesepaten"]
    assert [m["To"] for m in mailbox.to("dora@example.org")] == ["dora@example.org"]
    entries = await AuditEntry.select(AuditEntry.summary).where(
        AuditEntry.action == "participant_added"
    )
    assert len(entries) == 2 and all("@" not in e["summary"] for e in entries)


async def test_adding_by_hand_closes_when_the_date_begins(client) -> None:
    officer, session, _, _ = await setting(starts_in=dt.timedelta(minutes=-10))
    await sign_in(client, officer)

    response = await client.submit(
        url(session) + "/hinzufuegen", {"name": "Dora", "email": "dora@example.org"}
    )

    assert response.status_code == 400 and "Einchecken vor Ort" in response.text
    assert not await User.exists().where(User.email == "dora@example.org")


async def test_another_organisations_officer_cannot_add(client) -> None:
    _, session, _, _ = await setting()
    await sign_in(client, await make_officer(await make_organisation()))

    response = await client.submit(
        url(session) + "/hinzufuegen", {"name": "Dora", "email": "dora@example.org"}
    )

    assert response.status_code == 403
    assert not await User.exists().where(User.email == "dora@example.org")


async def test_accessibility_needs_are_shown_to_the_organiser_only(client) -> None:
    officer, session, people, _ = await setting(starts_in=dt.timedelta(hours=-3))
    await make_profile(people[0], accessibility_needs=["hearing_loop"])
    await make_profile(people[2], accessibility_needs=["simple_language"])

    await sign_in(client, officer)
    page = (await client.get(url(session))).text
    export = (await client.get(url(session) + ".csv")).content.decode("utf-8-sig")
    await sign_in(client, people[1])
    resident = await client.get(url(session))
    await sign_in(client, await make_officer(await make_organisation()))
    stranger = await client.get(url(session))

    taking, _, waiting = page.partition('id="warteliste"')
    assert "Induktionsschleife / Höranlage" in taking
    assert "Einfache Sprache" in waiting
    rows = list(csv.reader(io.StringIO(export), delimiter=";"))
    assert rows[0][-1] == "Barrierefreiheit"
    assert rows[1][-1] == "Induktionsschleife / Höranlage" and rows[2][-1] == ""
    assert rows[3][-1] == "Einfache Sprache"
    for response in (resident, stranger):
        assert response.status_code == 403
        assert "Induktionsschleife" not in response.text
