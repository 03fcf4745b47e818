"""Konto settings of a signed-in person: password, email address, logging out everywhere and
the mails they receive; every mail checked as it arrived over SMTP."""

from __future__ import annotations

import datetime as dt

from boerse.accounts.sessions import start_session
from boerse.accounts.tables import EmailToken, LoginSession, TokenPurpose, User
from boerse.lib.db import utcnow
from boerse.lib.security import hash_token, verify_password
from boerse.profiles.tables import Profile
from tests.accounts.helpers import delivered_link, user_by_email
from tests.support.factories import PASSWORD, make_officer, make_profile, make_user, sign_in
from tests.support.fixtures import run_worker
from tests.support.services import Mailbox, body_text

NEW = "Neues-Passwort-fuer-2027"


async def sessions_of(user: User) -> list[str]:
    rows = await LoginSession.select(LoginSession.token_hash).where(LoginSession.user == user.id)
    return [row["token_hash"] for row in rows]


# --- password ------------------------------------------------------------------------------


async def test_password_change_ends_other_sessions_keeps_this_one_and_mails(
    client, mailbox: Mailbox
):
    anna = await make_user(email="anna@example.org", display_name="Anna")
    phone = await start_session(anna.id)  # another device
    await sign_in(client, anna)
    this_one = client.cookies.get("boerse_session")

    page = await client.get("/konto/passwort")
    assert page.status_code == 200
    response = await client.submit(
        "/konto/passwort",
        {"current_password": PASSWORD, "password": NEW, "password_repeat": NEW},
    )

    assert response.status_code == 303
    assert response.headers["location"] == "/konto"
    assert await sessions_of(anna) == [hash_token(this_one)]
    assert hash_token(phone) not in await sessions_of(anna)
    assert verify_password((await user_by_email("anna@example.org")).password_hash, NEW)
    shown = await client.get("/konto")
    assert shown.status_code == 200  # still signed in here
    assert "Auf allen anderen Geräten sind Sie jetzt abgemeldet" in shown.text
    await run_worker()
    assert mailbox.subjects() == ["Ihr Passwort wurde geändert"]
    assert "soeben geändert" in body_text(mailbox.to("anna@example.org")[0])


async def test_password_change_with_a_wrong_current_password_changes_nothing(
    client, mailbox: Mailbox
):
    anna = await make_user(email="anna@example.org")
    other = await start_session(anna.id)
    await sign_in(client, anna)

    response = await client.submit(
        "/konto/passwort",
        {"current_password": "falsch-falsch-1", "password": NEW, "password_repeat": NEW},
    )

    assert response.status_code == 400
    assert "Das Passwort ist nicht richtig." in response.text
    assert "Bitte prüfen Sie Ihre Eingaben" in response.text
    assert NEW not in response.text  # passwords never come back to the browser
    assert verify_password((await user_by_email("anna@example.org")).password_hash, PASSWORD)
    assert hash_token(other) in await sessions_of(anna)
    await run_worker()
    assert mailbox.messages == []


async def test_password_change_follows_the_registration_rules(client):
    anna = await make_user(email="anna@example.org")
    await sign_in(client, anna)

    short = await client.submit(
        "/konto/passwort",
        {"current_password": PASSWORD, "password": "kurz", "password_repeat": "kurz"},
    )
    different = await client.submit(
        "/konto/passwort",
        {"current_password": PASSWORD, "password": NEW, "password_repeat": NEW + "x"},
    )
    own_email = await client.submit(
        "/konto/passwort",
        {
            "current_password": PASSWORD,
            "password": "Anna@Example.org",
            "password_repeat": "Anna@Example.org",
        },
    )
    missing = await client.submit("/konto/passwort", {"password": NEW, "password_repeat": NEW})

    assert short.status_code == different.status_code == own_email.status_code == 400
    assert "mindestens 10 Zeichen" in short.text
    assert "stimmen nicht überein" in different.text
    assert "nicht Ihre E-Mail-Adresse sein" in own_email.text
    assert missing.status_code == 400
    assert "Bitte geben Sie Ihr bisheriges Passwort ein." in missing.text
    assert verify_password((await user_by_email("anna@example.org")).password_hash, PASSWORD)


async def test_password_checks_are_rate_limited(client):
    anna = await make_user(email="anna@example.org")
    await sign_in(client, anna)
    wrong = {"current_password": "falsch-falsch-1", "password": NEW, "password_repeat": NEW}
    for _ in range(5):
        assert (await client.submit("/konto/passwort", wrong)).status_code == 400

    right = await client.submit(
        "/konto/passwort", {"current_password": PASSWORD, "password": NEW, "password_repeat": NEW}
    )

    assert right.status_code == 429
    assert "Zu viele falsche Passwörter" in right.text
    assert verify_password((await user_by_email("anna@example.org")).password_hash, PASSWORD)


async def test_settings_pages_need_a_login(client):
    for path in (
        "/konto/passwort",
        "/konto/email",
        "/konto/ueberall-abmelden",
        "/konto/benachrichtigungen",
    ):
        response = await client.get(path)
        assert response.status_code in {302, 303, 401}, path
        assert "Passwort ändern" not in response.text


# --- email address -------------------------------------------------------------------------


async def ask_for(client, new_email: str, password: str = PASSWORD):
    return await client.submit("/konto/email", {"email": new_email, "current_password": password})


async def test_email_change_is_confirmed_at_the_new_address_and_told_to_the_old(
    client, mailbox: Mailbox
):
    anna = await make_user(email="anna@example.org", display_name="Anna")
    await sign_in(client, anna)

    response = await ask_for(client, "Anna.Neu@Example.org")

    assert response.status_code == 303
    assert response.headers["location"] == "/konto"
    assert (await user_by_email("anna@example.org")) is not None  # nothing changed yet
    link = await delivered_link(mailbox, "anna.neu@example.org", "/konto/email-bestaetigen")
    told = mailbox.to("anna@example.org")
    assert len(told) == 1
    assert "anna.neu@example.org" in body_text(told[0])
    token = (
        await EmailToken.objects()
        .where(EmailToken.purpose == TokenPurpose.CHANGE_EMAIL.value)
        .first()
    )
    assert token.new_email == "anna.neu@example.org"

    page = await client.get(link)
    assert page.status_code == 200
    assert "anna.neu@example.org" in page.text
    assert await user_by_email("anna.neu@example.org") is None  # a GET confirms nothing
    confirmed = await client.submit(
        "/konto/email-bestaetigen", {"token": link.split("token=", 1)[1]}
    )

    assert confirmed.status_code == 303
    changed = await user_by_email("anna.neu@example.org")
    assert changed is not None and changed.id == anna.id
    assert changed.email_verified_at is not None
    assert await user_by_email("anna@example.org") is None
    overview = await client.get("/konto")
    assert "anna.neu@example.org" in overview.text
    mailbox.clear()
    await run_worker()
    assert mailbox.subjects() == ["Ihre E-Mail-Adresse wurde geändert"]
    assert "anna.neu@example.org" in body_text(mailbox.to("anna@example.org")[0])

    again = await client.get(link)
    assert again.status_code == 400
    assert "nicht mehr gültig" in again.text
    assert "Ihre E-Mail-Adresse ist unverändert" in again.text


async def test_email_change_link_works_in_another_browser(client, mailbox: Mailbox):
    anna = await make_user(email="anna@example.org")
    await sign_in(client, anna)
    await ask_for(client, "anna.neu@example.org")
    link = await delivered_link(mailbox, "anna.neu@example.org", "/konto/email-bestaetigen")
    client.cookies.delete("boerse_session")

    confirmed = await client.submit(
        "/konto/email-bestaetigen", {"token": link.split("token=", 1)[1]}
    )

    assert confirmed.status_code == 303
    assert confirmed.headers["location"] == "/konto/anmelden"
    assert (await user_by_email("anna.neu@example.org")).id == anna.id


async def test_an_address_of_another_account_gets_a_hint_and_nothing_changes(
    client, mailbox: Mailbox
):
    await make_user(email="bernd@example.org", display_name="Bernd")
    anna = await make_user(email="anna@example.org")
    await sign_in(client, anna)

    response = await ask_for(client, "bernd@example.org")
    free = await make_user(email="carla@example.org")  # for comparison: same answer
    assert free

    assert response.status_code == 303
    assert response.headers["location"] == "/konto"
    notice = await client.get("/konto")
    assert "Bitte öffnen Sie den Link" in notice.text  # neutral: the same as for a free address
    assert (
        await EmailToken.count().where(EmailToken.purpose == TokenPurpose.CHANGE_EMAIL.value) == 0
    )
    await run_worker()
    hint = mailbox.to("bernd@example.org")
    assert len(hint) == 1
    assert "gehört aber schon zu einem Konto" in body_text(hint[0])
    assert "/konto/email-bestaetigen" not in body_text(hint[0])
    assert len(mailbox.to("anna@example.org")) == 1  # told that a change was asked for
    assert (await user_by_email("anna@example.org")).id == anna.id
    assert (await user_by_email("bernd@example.org")).id != anna.id


async def test_email_change_bad_input_keeps_what_was_typed(client, mailbox: Mailbox):
    anna = await make_user(email="anna@example.org")
    await sign_in(client, anna)

    invalid = await ask_for(client, "kein-at-zeichen")
    wrong_password = await ask_for(client, "anna.neu@example.org", "falsch-falsch-1")
    same = await ask_for(client, "ANNA@example.org")

    assert invalid.status_code == wrong_password.status_code == same.status_code == 400
    assert "gültige E-Mail-Adresse" in invalid.text
    assert 'value="kein-at-zeichen"' in invalid.text
    assert "Das Passwort ist nicht richtig." in wrong_password.text
    assert 'value="anna.neu@example.org"' in wrong_password.text
    assert "Das ist bereits Ihre E-Mail-Adresse." in same.text
    await run_worker()
    assert mailbox.messages == []
    assert await EmailToken.count() == 0


async def test_expired_and_superseded_email_links_are_refused(client, mailbox: Mailbox):
    anna = await make_user(email="anna@example.org")
    await sign_in(client, anna)
    await ask_for(client, "erste@example.org")
    first = await delivered_link(mailbox, "erste@example.org", "/konto/email-bestaetigen")
    await ask_for(client, "zweite@example.org")
    second = await delivered_link(mailbox, "zweite@example.org", "/konto/email-bestaetigen")

    assert (await client.get(first)).status_code == 400  # only the newest link works
    await EmailToken.update({EmailToken.expires_at: utcnow() - dt.timedelta(seconds=1)}).where(
        EmailToken.new_email == "zweite@example.org"
    )
    expired = await client.submit(
        "/konto/email-bestaetigen", {"token": second.split("token=", 1)[1]}
    )

    assert expired.status_code == 400
    assert "nicht mehr gültig" in expired.text
    assert (await user_by_email("anna@example.org")).id == anna.id


async def test_email_change_requests_are_limited_per_hour(client, mailbox: Mailbox):
    anna = await make_user(email="anna@example.org")
    await sign_in(client, anna)
    for number in range(3):
        assert (await ask_for(client, f"neu{number}@example.org")).status_code == 303

    fourth = await ask_for(client, "neu3@example.org")

    assert fourth.status_code == 429
    assert "schon mehrere Links angefordert" in fourth.text
    assert 'value="neu3@example.org"' in fourth.text
    await run_worker()
    assert mailbox.to("neu3@example.org") == []
    assert len(mailbox.to("anna@example.org")) == 3


async def test_a_password_change_voids_a_pending_email_change(client, mailbox: Mailbox):
    anna = await make_user(email="anna@example.org")
    await sign_in(client, anna)
    await ask_for(client, "anna.neu@example.org")
    link = await delivered_link(mailbox, "anna.neu@example.org", "/konto/email-bestaetigen")

    await client.submit(
        "/konto/passwort", {"current_password": PASSWORD, "password": NEW, "password_repeat": NEW}
    )

    assert (await client.get(link)).status_code == 400
    assert (await user_by_email("anna@example.org")).id == anna.id


async def test_an_address_taken_between_request_and_click_is_refused(client, mailbox: Mailbox):
    anna = await make_user(email="anna@example.org")
    await sign_in(client, anna)
    await ask_for(client, "anna.neu@example.org")
    link = await delivered_link(mailbox, "anna.neu@example.org", "/konto/email-bestaetigen")
    await make_user(email="anna.neu@example.org")

    response = await client.submit(
        "/konto/email-bestaetigen", {"token": link.split("token=", 1)[1]}
    )

    assert response.status_code == 409
    assert "gehört inzwischen zu einem anderen Konto" in response.text
    assert (await user_by_email("anna@example.org")).id == anna.id


# --- logging out everywhere ----------------------------------------------------------------


async def test_logging_out_everywhere_ends_every_session(client):
    anna = await make_user(email="anna@example.org")
    bernd = await make_user(email="bernd@example.org")
    await start_session(anna.id)
    await start_session(anna.id)
    bernds = await start_session(bernd.id)
    await sign_in(client, anna)

    page = await client.get("/konto/ueberall-abmelden")
    assert page.status_code == 200
    assert "auf 2 anderen Geräten angemeldet" in page.text
    response = await client.submit("/konto/ueberall-abmelden", {})

    assert response.status_code == 303
    assert response.headers["location"] == "/konto/anmelden"
    assert await sessions_of(anna) == []
    assert await sessions_of(bernd) == [hash_token(bernds)]
    login = await client.get("/konto/anmelden")
    assert "auf allen Geräten abgemeldet" in login.text
    assert (await client.get("/konto")).status_code != 200


# --- notifications -------------------------------------------------------------------------


async def test_notifications_of_a_resident_with_a_profile(client):
    anna = await make_user(email="anna@example.org")
    await make_profile(anna, digest_ok=True)
    await sign_in(client, anna)

    page = await client.get("/konto/benachrichtigungen")
    assert page.status_code == 200
    assert 'name="digest_ok" value="on" checked' in page.text
    assert 'name="signup_summary_ok"' not in page.text
    assert "Erinnerungen an gebuchte Termine" in page.text
    response = await client.submit(
        "/konto/benachrichtigungen", {"language": "en", "signup_summary_ok": "on"}
    )

    assert response.status_code == 303
    user = await User.objects().where(User.id == anna.id).first()
    assert (user.messages_ok, user.language, user.signup_summary_ok) == (False, "en", False)
    profile = await Profile.objects().where(Profile.user == anna.id).first()
    assert profile.digest_ok is False
    # The profile form shows the same choice: one value, two places that agree.
    profile_page = await client.get("/profil", headers={"Accept-Language": "de"})
    assert 'name="digest_ok" value="on" checked' not in profile_page.text


async def test_notifications_of_an_officer_and_of_someone_without_a_profile(client):
    officer = await make_officer(email="olga@example.org")
    await sign_in(client, officer)

    page = await client.get("/konto/benachrichtigungen")
    assert 'name="signup_summary_ok"' in page.text
    assert 'name="digest_ok"' not in page.text
    response = await client.submit(
        "/konto/benachrichtigungen",
        {"language": "de", "signup_summary_ok": "on", "messages_ok": "on"},
    )

    assert response.status_code == 303
    user = await User.objects().where(User.id == officer.id).first()
    assert (user.signup_summary_ok, user.messages_ok) == (True, True)


async def test_notifications_bad_input_keeps_the_choices(client):
    anna = await make_user(email="anna@example.org", messages_ok=True)
    await make_profile(anna)
    await sign_in(client, anna)

    response = await client.submit(
        "/konto/benachrichtigungen", {"language": "xx", "digest_ok": "on"}
    )

    assert response.status_code == 400
    assert "Bitte wählen Sie einen Eintrag aus der Liste." in response.text
    assert 'name="digest_ok" value="on" checked' in response.text
    assert 'name="messages_ok" value="on" checked' not in response.text
    user = await User.objects().where(User.id == anna.id).first()
    assert (user.messages_ok, user.language) == (True, "de")


async def test_account_page_links_every_setting(client):
    anna = await make_user(email="anna@example.org")
    await sign_in(client, anna)

    page = await client.get("/konto")
    profile = await client.get("/profil")

    for path in (
        "/konto/passwort",
        "/konto/email",
        "/konto/benachrichtigungen",
        "/konto/ueberall-abmelden",
    ):
        assert f'href="{path}"' in page.text
    assert 'href="/konto"' in profile.text
