"""Every kind of staff action writes one audit entry, through the real pages: who (id, role,
label), what (action, target), when, from which network, and nothing personal."""

from __future__ import annotations

import datetime as dt

import pytest

from boerse.accounts.tables import Role, User
from boerse.audit.actions import Action
from boerse.lib.db import utcnow
from boerse.opportunities.tables import Opportunity, OpportunitySession
from tests.audit.helpers import actions, assert_nothing_personal, entries
from tests.matching.test_routes import invite_url, make_offer, make_resident, refresh_index
from tests.opportunities.test_participants import setting, url
from tests.opportunities.test_routes import GOOD, session_form
from tests.outbox.factories import SECRET_BODY, SECRET_SUBJECT, make_email
from tests.support.factories import make_officer, make_organisation, make_user, sign_in

# httpx's ASGI transport presents every request as coming from 127.0.0.1.
LOOPBACK_NETWORK = "127.0.0.0/24"


@pytest.fixture
async def admin(client) -> User:
    user = await make_user(email="admin@lindenau.example", role=Role.ADMIN, display_name="Ada")
    await sign_in(client, user)
    return user


async def test_officer_editing_an_offer_is_recorded_step_by_step(client) -> None:
    organisation = await make_organisation("Seniorenbüro")
    officer = await make_officer(organisation, display_name="Olga Amt")
    await sign_in(client, officer)

    assert (await client.submit("/verwaltung/angebote/neu", GOOD)).status_code == 303
    offer = await Opportunity.objects().first()
    base = f"/verwaltung/angebote/{offer.id}"
    assert (await client.submit(f"{base}/termine", session_form())).status_code == 303
    assert (await client.submit(f"{base}/termine", session_form(days=9))).status_code == 303
    first, second = await OpportunitySession.objects().order_by(OpportunitySession.id)
    assert (await client.submit(f"{base}/veroeffentlichen")).status_code == 303
    assert (await client.submit(f"{base}/bearbeiten", GOOD)).status_code == 303
    edited = await client.submit(
        f"{base}/termine/{first.id}/bearbeiten", session_form(capacity="12")
    )
    assert edited.status_code == 303
    assert (await client.submit(f"{base}/termine/{second.id}/loeschen")).status_code == 303
    assert (await client.submit(f"{base}/schliessen")).status_code == 303

    assert await actions() == [
        Action.OPPORTUNITY_CREATED,
        Action.SESSION_ADDED,
        Action.SESSION_ADDED,
        Action.OPPORTUNITY_PUBLISHED,
        Action.OPPORTUNITY_EDITED,
        Action.SESSION_EDITED,
        Action.SESSION_CANCELLED,
        Action.OPPORTUNITY_CLOSED,
    ]
    rows = await entries()
    assert {(row["actor_id"], row["actor_role"], row["actor_label"]) for row in rows} == {
        (officer.id, "officer", "Olga Amt")
    }
    assert {row["client_network"] for row in rows} == {LOOPBACK_NETWORK}
    targets = [(row["target_type"], row["target_id"]) for row in rows]
    assert targets[0] == ("opportunity", offer.id)
    assert targets[1:3] == [("session", first.id), ("session", second.id)]
    assert targets[5:7] == [("session", first.id), ("session", second.id)]
    assert rows[0]["summary"] == GOOD["title"]
    assert all(utcnow() - row["occurred_at"] < dt.timedelta(minutes=1) for row in rows)
    # The contact address typed into the offer never reaches the log.
    await assert_nothing_personal(GOOD["contact_email"], GOOD["contact_phone"])


async def test_refused_actions_leave_no_entry(client) -> None:
    organisation = await make_organisation()
    await sign_in(client, await make_officer(organisation))
    draft = await make_offer(organisation, starts_in=-dt.timedelta(days=3))
    await Opportunity.update({Opportunity.status: "draft"}).where(Opportunity.id == draft.id)

    refused = await client.submit(f"/verwaltung/angebote/{draft.id}/veroeffentlichen")
    other = await make_offer(await make_organisation())
    forbidden = await client.submit(f"/verwaltung/angebote/{other.id}/schliessen")

    assert (refused.status_code, forbidden.status_code) == (400, 403)
    assert await entries() == []


async def test_participant_work_is_recorded_without_names_or_addresses(client) -> None:
    officer, session, people, signup_ids = await setting(starts_in=dt.timedelta(hours=-3))
    await sign_in(client, officer)
    anna, ben, _ = signup_ids

    exported = await client.get(f"{url(session)}.csv")
    attendance = await client.submit(
        url(session),
        {f"attendance-{anna}": "attended", f"hours-{anna}": "2", f"attendance-{ben}": "absent"},
    )

    assert (exported.status_code, attendance.status_code) == (200, 303)
    assert "anna@example.org" in exported.text
    export, recorded = await entries()
    assert (export["action"], export["target_id"], export["quantity"]) == (
        Action.PARTICIPANTS_EXPORTED,
        session.id,
        2,
    )
    assert (recorded["action"], recorded["target_id"], recorded["quantity"]) == (
        Action.ATTENDANCE_RECORDED,
        session.id,
        2,
    )
    await assert_nothing_personal(
        *(person.email for person in people), *(person.display_name for person in people)
    )


async def test_confirming_and_cancelling_a_participant_are_recorded(client) -> None:
    officer, session, people, signup_ids = await setting()
    await sign_in(client, officer)

    confirmed = await client.submit(f"{url(session)}/{signup_ids[0]}/bestaetigen")
    cancelled = await client.submit(f"{url(session)}/{signup_ids[1]}/absagen")

    assert (confirmed.status_code, cancelled.status_code) == (303, 303)
    assert [(row["action"], row["target_id"]) for row in await entries()] == [
        (Action.PARTICIPANT_CONFIRMED, signup_ids[0]),
        (Action.PARTICIPANT_CANCELLED, signup_ids[1]),
    ]
    await assert_nothing_personal(*(person.email for person in people))


async def test_inviting_a_resident_is_recorded_with_the_offer_not_the_person(client) -> None:
    organisation = await make_organisation()
    officer = await make_officer(organisation)
    offer = await make_offer(organisation, title="Bäume pflanzen")
    resident = await make_resident("Carla Clever", email="carla@example.org")
    await refresh_index()
    await sign_in(client, officer)

    response = await client.submit(invite_url(offer, resident))

    assert response.status_code == 303
    [entry] = await entries()
    assert (entry["action"], entry["target_type"], entry["target_id"], entry["summary"]) == (
        Action.RESIDENT_INVITED,
        "opportunity",
        offer.id,
        "Bäume pflanzen",
    )
    await assert_nothing_personal("carla@example.org", "Carla")


async def test_account_administration_is_recorded(client, admin) -> None:
    organisation = await make_organisation("Amt für Umwelt")
    resident = await make_user(email="bertha@example.org", display_name="Bertha")

    created = await client.submit(
        "/admin/organisationen/neu",
        {"name": "Stadtteilverein", "kind": "partner", "description": "", "website": ""},
    )
    invited = await client.submit(
        "/admin/konten/neu",
        {
            "email": "gruen@lindenau.example",
            "display_name": "Gerd Grün",
            "role": "officer",
            "organisation": str(organisation.id),
        },
    )
    locked = await client.submit(f"/admin/konten/{resident.id}/sperren", {})
    unlocked = await client.submit(f"/admin/konten/{resident.id}/freischalten", {})

    assert [r.status_code for r in (created, invited, locked, unlocked)] == [303] * 4
    staff = await User.objects().where(User.email == "gruen@lindenau.example").first()
    assert [(row["action"], row["target_id"]) for row in await entries()] == [
        (Action.ORGANISATION_CREATED, (await organisation_id("Stadtteilverein"))),
        (Action.STAFF_INVITED, staff.id),
        (Action.ACCOUNT_DEACTIVATED, resident.id),
        (Action.ACCOUNT_REACTIVATED, resident.id),
    ]
    assert {(row["actor_id"], row["actor_role"]) for row in await entries()} == {
        (admin.id, "admin")
    }
    assert (await entries(Action.STAFF_INVITED))[0]["summary"] == "officer"
    await assert_nothing_personal("bertha@example.org", "Bertha")


async def organisation_id(name: str) -> int:
    from boerse.accounts.tables import Organisation

    row = await Organisation.select(Organisation.id).where(Organisation.name == name).first()
    return row["id"]


async def test_retrying_mails_on_the_delivery_page_is_recorded(client, admin) -> None:
    one = await make_email("failed", recipient="bounce@example.org")
    await make_email("failed", recipient="other@example.org")
    await make_email("failed", recipient="third@example.org")

    single = await client.submit(f"/admin/versand/{one.id}/erneut-versuchen")
    await make_email("failed", recipient="later@example.org")
    everything = await client.submit("/admin/versand/alle-erneut-versuchen")

    assert (single.status_code, everything.status_code) == (303, 303)
    assert [(row["action"], row["target_id"], row["quantity"]) for row in await entries()] == [
        (Action.EMAIL_RETRIED, one.id, None),
        (Action.FAILED_EMAILS_RETRIED, None, 3),
    ]
    await assert_nothing_personal("bounce@example.org", SECRET_SUBJECT, SECRET_BODY)


async def test_command_line_staff_creation_is_recorded_as_the_system() -> None:
    from boerse.accounts.admin_services import create_staff_user

    user_id = await create_staff_user(
        "chefin@lindenau.example", "korrekt-Pferd-Batterie-9", "admin", "", "Chefin"
    )

    [entry] = await entries()
    assert (entry["action"], entry["target_id"], entry["actor_id"], entry["actor_role"]) == (
        Action.STAFF_CREATED,
        user_id,
        None,
        "system",
    )
