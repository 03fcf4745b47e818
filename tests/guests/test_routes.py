"""A visitor signs up without an account: the form, the emailed link, the personal page,
cancelling there, and turning the guest into a full account."""

from __future__ import annotations

import datetime as dt
from email.header import decode_header, make_header
from urllib.parse import urlsplit

from boerse.accounts.tables import Role, User
from boerse.guests.tables import GuestSignUpRequest
from boerse.lib.db import utcnow
from boerse.opportunities.signup_links import REMEMBER_COOKIE, link_token
from boerse.opportunities.tables import OpportunitySession, SignUp
from tests.support.factories import (
    PASSWORD,
    make_opportunity,
    make_organisation,
    make_session,
    make_user,
)
from tests.support.fixtures import links_in, login, run_worker
from tests.support.services import Mailbox, body_text


def subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


async def offer(capacity: int = 10, max_companions: int = 0):
    opportunity = await make_opportunity(
        await make_organisation(), title="Bäume pflanzen", max_companions=max_companions
    )
    session = await make_session(opportunity, capacity=capacity)
    return opportunity, session


async def seats(session_id: int) -> int:
    row = await OpportunitySession.select(OpportunitySession.seats_taken).where(
        OpportunitySession.id == session_id
    )
    return row[0]["seats_taken"]


GUEST = {"display_name": "Gerda Gast", "email": "Gerda@Example.org", "consent": "on"}


def link_to(message, path: str) -> str:
    [link] = [link for link in links_in(body_text(message)) if path in link]
    return urlsplit(link).path


async def request_and_open_link(client, mailbox: Mailbox, session_id: int, **fields) -> str:
    """Fill the guest form and return the path of the emailed confirmation link."""
    response = await client.submit(f"/termine/{session_id}/gast", {**GUEST, **fields})
    assert response.status_code == 303, response.text[:2000]
    assert response.headers["location"] == "/gast/gesendet"
    await run_worker()
    [message] = mailbox.to("gerda@example.org")
    assert subject(message) == "Bitte bestätigen Sie Ihre Anmeldung: Bäume pflanzen"
    return link_to(message, "/gast/bestaetigen/")


async def test_the_detail_page_offers_signing_up_without_account(client) -> None:
    opportunity, session = await offer()
    page = await client.get(f"/angebote/{opportunity.id}")
    assert f'href="/termine/{session.id}/gast"' in page.text

    form = await client.get(f"/termine/{session.id}/gast")
    assert form.status_code == 200
    assert 'name="consent"' in form.text
    assert 'name="companions"' not in form.text  # this offer takes no companions


async def test_a_guest_signs_up_through_the_emailed_link(client, mailbox: Mailbox) -> None:
    _, session = await offer(max_companions=3)

    confirm = await request_and_open_link(client, mailbox, session.id, companions="2")
    # Nothing holds a place and no account exists before the link is used.
    assert await seats(session.id) == 0
    assert await User.count() == 0
    assert await SignUp.count() == 0

    page = await client.get(confirm)
    assert page.status_code == 200
    assert await SignUp.count() == 0  # opening the link only shows the button
    response = await client.submit(confirm)

    signup = await SignUp.objects().first()
    token = link_token(signup.id)
    assert response.status_code == 303
    assert response.headers["location"] == f"/anmeldung/{token}"
    assert token in client.cookies[REMEMBER_COOKIE]
    assert signup.status == "registered"
    assert signup.companions == 2
    assert await seats(session.id) == 3
    guest = await User.objects().where(User.id == signup.user).first()
    assert guest.role == Role.GUEST.value
    assert guest.email == "gerda@example.org"
    assert guest.email_verified_at is not None
    assert guest.privacy_consent_at is not None

    await run_worker()
    [confirmation] = [
        m for m in mailbox.to("gerda@example.org") if subject(m).startswith("Ihre Anmeldung:")
    ]
    text = body_text(confirmation)
    assert "für Sie und 2 weitere Personen" in text
    assert f"/anmeldung/{token}" in text
    assert "Konto anlegen" in text or "legen Sie ein Konto an" in text
    assert "/meine-termine" not in text  # a guest cannot log in there
    assert any(part.get_content_type() == "text/calendar" for part in confirmation.walk())

    personal = await client.get(f"/anmeldung/{token}")
    assert personal.status_code == 200
    assert "Bäume pflanzen" in personal.text
    assert "für Sie und 2 weitere Personen" in personal.text
    assert personal.headers["cache-control"] == "no-store"
    ics = await client.get(f"/anmeldung/{token}/kalender.ics")
    assert ics.status_code == 200
    assert f"signup-{signup.id}@" in ics.text


async def test_a_used_link_is_refused_and_changes_nothing(client, mailbox: Mailbox) -> None:
    _, session = await offer()
    confirm = await request_and_open_link(client, mailbox, session.id)
    assert (await client.submit(confirm)).status_code == 303

    again = await client.submit(confirm)
    shown = await client.get(confirm)

    assert again.status_code == 410
    assert "nicht mehr gültig" in again.text
    assert shown.status_code == 410
    assert await SignUp.count() == 1
    assert await seats(session.id) == 1


async def test_an_expired_link_is_refused_and_saves_nothing(client, mailbox: Mailbox) -> None:
    _, session = await offer()
    confirm = await request_and_open_link(client, mailbox, session.id)
    await GuestSignUpRequest.update(
        {GuestSignUpRequest.expires_at: utcnow() - dt.timedelta(minutes=1)}
    ).where(GuestSignUpRequest.id > 0)

    response = await client.submit(confirm)

    assert response.status_code == 410
    assert "abgelaufen" in response.text
    assert await User.count() == 0
    assert await SignUp.count() == 0
    assert await seats(session.id) == 0


async def test_an_unknown_link_is_refused(client) -> None:
    response = await client.submit("/gast/bestaetigen/ausgedacht")
    assert response.status_code == 410
    assert (await client.get("/anmeldung/ausgedacht")).status_code == 404


async def test_a_date_that_closed_meanwhile_rolls_everything_back(client, mailbox: Mailbox) -> None:
    _, session = await offer()
    confirm = await request_and_open_link(client, mailbox, session.id)
    await OpportunitySession.update(
        {OpportunitySession.starts_at: utcnow() - dt.timedelta(minutes=5)}
    ).where(OpportunitySession.id == session.id)

    response = await client.submit(confirm)

    assert response.status_code == 409
    assert "keine Anmeldung mehr möglich" in response.text
    assert await User.count() == 0  # the guest account was rolled back with the sign-up
    assert await SignUp.count() == 0
    assert (await GuestSignUpRequest.objects().first()).used_at is None


async def test_bad_input_keeps_the_values_and_says_what_is_wrong(client) -> None:
    _, session = await offer(max_companions=2)

    response = await client.submit(
        f"/termine/{session.id}/gast",
        {"display_name": "Gerda", "email": "kaputt", "companions": "5"},
    )

    assert response.status_code == 400
    assert "höchstens 2 weitere Personen" in response.text
    assert "gültige E-Mail-Adresse" in response.text
    assert "Datenschutzhinweise gelesen" in response.text
    assert 'value="Gerda"' in response.text
    assert await GuestSignUpRequest.count() == 0


async def test_a_residents_address_gets_a_login_hint_and_the_same_page(
    client, mailbox: Mailbox
) -> None:
    _, session = await offer()
    await make_user(email="gerda@example.org", display_name="Gerda")

    response = await client.submit(f"/termine/{session.id}/gast", GUEST)

    assert response.status_code == 303
    assert response.headers["location"] == "/gast/gesendet"
    assert await GuestSignUpRequest.count() == 0
    await run_worker()
    [message] = mailbox.to("gerda@example.org")
    assert subject(message) == "Sie haben schon ein Konto: Bäume pflanzen"
    assert "/konto/anmelden?next=" in body_text(message)
    assert "/gast/bestaetigen/" not in body_text(message)


async def test_the_request_form_is_rate_limited_per_address(client, mailbox: Mailbox) -> None:
    _, session = await offer()
    for _ in range(5):
        response = await client.submit(f"/termine/{session.id}/gast", GUEST)
        assert response.status_code == 303  # the same answer, over the limit or not

    assert await GuestSignUpRequest.count() == 3


async def test_the_guest_cancels_on_the_personal_page(client, mailbox: Mailbox) -> None:
    _, session = await offer(capacity=1)
    confirm = await request_and_open_link(client, mailbox, session.id)
    response = await client.submit(confirm)
    personal = response.headers["location"]
    page = await client.get(personal)
    assert "Teilnahme absagen" in page.text

    cancelled = await client.submit(f"{personal}/absagen")

    assert cancelled.status_code == 303
    assert cancelled.headers["location"] == personal
    assert (await SignUp.objects().first()).status == "cancelled"
    assert await seats(session.id) == 0
    assert "Diese Anmeldung ist abgesagt" in (await client.get(personal)).text


async def test_a_guest_cannot_log_in_with_a_password(client, mailbox: Mailbox) -> None:
    guest = await make_user(email="gast@example.org", role=Role.GUEST)  # a known password hash

    response = await client.submit(
        "/konto/anmelden", {"email": "gast@example.org", "password": PASSWORD}
    )

    assert response.status_code == 400
    assert "E-Mail-Adresse oder Passwort ist nicht richtig." in response.text
    assert (await User.objects().where(User.id == guest.id).first()).last_login_at is None


async def test_the_guest_upgrades_keeping_the_same_account(client, mailbox: Mailbox) -> None:
    _, session = await offer()
    confirm = await request_and_open_link(client, mailbox, session.id)
    personal = (await client.submit(confirm)).headers["location"]
    guest_id = (await SignUp.objects().first()).user
    page = await client.get(personal)
    assert "Konto anlegen und Verlauf behalten" in page.text

    short = await client.submit(
        f"{personal}/konto", {"password": "kurz", "password_repeat": "kurz"}
    )
    assert short.status_code == 400
    assert "mindestens 10 Zeichen" in short.text
    assert "Datenschutzhinweise gelesen" in short.text

    new_password = "ein langer Satz als Passwort"
    response = await client.submit(
        f"{personal}/konto",
        {"password": new_password, "password_repeat": new_password, "consent": "on"},
    )

    assert response.status_code == 303
    assert response.headers["location"] == "/profil"
    user = await User.objects().where(User.id == guest_id).first()
    assert user.role == Role.RESIDENT.value
    assert await SignUp.count().where(SignUp.user == guest_id) == 1
    assert (await client.get("/meine-termine")).status_code == 200  # logged in now
    # and can log in with the password from now on
    client.cookies.clear()
    await login(client, "gerda@example.org", new_password)
    # the personal page no longer offers the upgrade
    assert "Konto anlegen und Verlauf behalten" not in (await client.get(personal)).text
