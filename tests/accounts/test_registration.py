"""Registration and email verification, through the real form, worker and SMTP server."""

from __future__ import annotations

import datetime as dt

import pytest

from boerse.accounts.tables import EmailToken, User
from boerse.lib.db import utcnow
from boerse.lib.security import verify_password
from boerse.outbox.tables import OutboxEmail
from tests.accounts.helpers import delivered_link, user_by_email
from tests.support.factories import PASSWORD, make_user, sign_in
from tests.support.fixtures import run_worker
from tests.support.services import Mailbox

GOOD = {
    "email": "Erika.Muster@Example.org",
    "display_name": "Erika",
    "password": "Lindenblüten-im-Juni",
    "password_repeat": "Lindenblüten-im-Juni",
    "consent": "on",
}


async def test_registration_mails_a_link_that_verifies_the_address(client, mailbox: Mailbox):
    response = await client.submit("/konto/registrieren", GOOD)

    assert response.status_code == 303
    assert response.headers["location"] == "/konto/registriert"
    await run_worker()  # the worker creates the account (same request work for known addresses)
    user = await user_by_email("erika.muster@example.org")
    assert user.email_verified_at is None
    assert user.role == "resident" and user.display_name == "Erika"
    assert verify_password(user.password_hash, GOOD["password"])
    assert len(user.calendar_token) >= 32

    link = await delivered_link(mailbox, "erika.muster@example.org", "/konto/bestaetigen")
    assert mailbox.subjects() == ["Bitte bestätigen Sie Ihre E-Mail-Adresse"]
    verified = await client.get(link)

    assert verified.status_code == 303
    assert (await user_by_email("erika.muster@example.org")).email_verified_at is not None


async def test_check_inbox_page_explains_what_happens_next(client):
    response = await client.get("/konto/registriert")
    assert response.status_code == 200
    assert "Bitte prüfen Sie Ihr Postfach" in response.text


async def test_verification_link_works_only_once(client, mailbox: Mailbox):
    await client.submit("/konto/registrieren", GOOD)
    link = await delivered_link(mailbox, "erika.muster@example.org", "/konto/bestaetigen")

    assert (await client.get(link)).status_code == 303
    again = await client.get(link)

    assert again.status_code == 400
    assert "nicht mehr gültig" in again.text


async def test_expired_verification_link_is_refused(client, mailbox: Mailbox):
    await client.submit("/konto/registrieren", GOOD)
    link = await delivered_link(mailbox, "erika.muster@example.org", "/konto/bestaetigen")
    await EmailToken.update({EmailToken.expires_at: utcnow() - dt.timedelta(minutes=1)}).where(
        EmailToken.id > 0
    )

    response = await client.get(link)

    assert response.status_code == 400
    assert (await user_by_email("erika.muster@example.org")).email_verified_at is None


async def test_verification_link_is_valid_for_48_hours(client, mailbox: Mailbox):
    await client.submit("/konto/registrieren", GOOD)
    await run_worker()
    token = await EmailToken.objects().first()
    remaining = token.expires_at - utcnow()
    assert dt.timedelta(hours=47, minutes=59) < remaining <= dt.timedelta(hours=48)
    assert token.purpose == "verify"


async def test_made_up_token_is_refused(client):
    response = await client.get("/konto/bestaetigen?token=ausgedacht")
    assert response.status_code == 400


async def test_registering_a_known_email_looks_the_same_but_mails_a_hint(client, mailbox: Mailbox):
    existing = await make_user(email="erika.muster@example.org", display_name="Erika M.")

    response = await client.submit("/konto/registrieren", GOOD)

    assert response.status_code == 303
    assert response.headers["location"] == "/konto/registriert"
    assert await User.count() == 1
    unchanged = await user_by_email("erika.muster@example.org")
    assert unchanged.password_hash == existing.password_hash
    link = await delivered_link(mailbox, "erika.muster@example.org", "/konto/passwort-vergessen")
    assert link.startswith("/konto/passwort-vergessen")
    assert mailbox.subjects() == ["Sie haben bereits ein Konto bei der Mitmach-Börse"]
    assert await EmailToken.count() == 0


BAD_INPUT = [
    ({"email": "keine-adresse"}, "gültige E-Mail-Adresse"),
    ({"display_name": ""}, "Bitte füllen Sie dieses Feld aus."),
    ({"password": "kurz", "password_repeat": "kurz"}, "mindestens 10 Zeichen"),
    (
        {"password": "erika.muster@example.org", "password_repeat": "erika.muster@example.org"},
        "nicht Ihre E-Mail-Adresse",
    ),
    ({"password_repeat": "etwas-anderes-123"}, "stimmen nicht überein"),
    ({"consent": ""}, "Datenschutzhinweise gelesen"),
]


@pytest.mark.parametrize(("change", "message"), BAD_INPUT)
async def test_bad_registration_input_is_shown_again_and_nothing_is_saved(
    client, change: dict, message: str
):
    data = {**GOOD, **change}

    response = await client.submit("/konto/registrieren", data)

    assert response.status_code == 400
    assert "Bitte prüfen Sie Ihre Eingaben" in response.text
    assert message in response.text
    assert 'value="Erika"' in response.text or change.get("display_name") == ""
    assert data["email"].lower() in response.text.lower()
    if data["password"].lower() != data["email"].lower():
        assert f'value="{data["password"]}"' not in response.text  # passwords are never echoed
    assert await User.count() == 0
    assert await OutboxEmail.count() == 0


async def test_registration_form_links_the_privacy_notice(client):
    response = await client.get("/konto/registrieren")
    assert response.status_code == 200
    assert 'href="/datenschutz"' in response.text
    assert 'name="consent"' in response.text


async def test_unverified_user_sees_a_notice_and_can_ask_for_a_new_link(client, mailbox: Mailbox):
    user = await make_user(email="neu@example.org", verified=False)
    await sign_in(client, user)

    overview = await client.get("/konto")
    assert "Bitte bestätigen Sie Ihre E-Mail-Adresse" in overview.text
    assert "neu@example.org (noch nicht bestätigt)" in overview.text
    response = await client.submit("/konto/bestaetigung-erneut", {})

    assert response.status_code == 303
    link = await delivered_link(mailbox, "neu@example.org", "/konto/bestaetigen")
    assert (await client.get(link)).status_code == 303
    assert (await user_by_email("neu@example.org")).email_verified_at is not None
    assert "Bitte bestätigen Sie" not in (await client.get("/konto")).text


async def test_asking_for_new_links_is_limited_per_hour(client):
    await sign_in(client, await make_user(email="neu@example.org", verified=False))

    statuses = [
        (await client.submit("/konto/bestaetigung-erneut", {})).status_code for _ in range(4)
    ]

    assert statuses == [303, 303, 303, 429]
    await run_worker()
    assert await OutboxEmail.count() == 3
    page = await client.submit("/konto/bestaetigung-erneut", {})
    assert "schon mehrere Links angefordert" in page.text


async def test_verified_user_gets_no_new_link(client):
    await sign_in(client, await make_user(verified=True))
    page = await client.get("/konto/bestaetigung-erneut")
    assert "bereits bestätigt" in page.text
    assert (await client.submit("/konto/bestaetigung-erneut", {})).status_code == 303
    assert await OutboxEmail.count() == 0


async def test_resend_needs_a_login(client):
    response = await client.get("/konto/bestaetigung-erneut")
    assert response.status_code == 303
    assert response.headers["location"] == "/konto/anmelden?next=/konto/bestaetigung-erneut"


async def test_unverified_login_shows_a_warning_after_the_redirect(client):
    await make_user(email="neu@example.org", verified=False)
    response = await client.submit(
        "/konto/anmelden", {"email": "neu@example.org", "password": PASSWORD}
    )
    assert response.status_code == 303
    page = await client.get("/impressum")
    assert "Bitte bestätigen Sie noch Ihre E-Mail-Adresse" in page.text


async def test_registering_does_the_same_work_for_new_and_known_addresses(
    client, count_queries
) -> None:
    """The request only hashes and enqueues; the worker creates the account or mails the
    hint, so the answer's timing does not tell which addresses are registered."""
    await make_user(email="bekannt@example.org")
    await client.submit("/konto/registrieren", {**GOOD, "email": "erste@example.org"})  # warm

    with count_queries() as new:
        await client.submit("/konto/registrieren", {**GOOD, "email": "neu@example.org"})
    with count_queries() as known:
        await client.submit("/konto/registrieren", {**GOOD, "email": "bekannt@example.org"})

    assert new.count == known.count == 0
    assert await user_by_email("neu@example.org") is None
    await run_worker()
    assert await user_by_email("neu@example.org") is not None
