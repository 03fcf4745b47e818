"""Each person's language: taken from the request at registration, changed on the account page
(not by the footer's link), and the language of the mails they receive."""

from __future__ import annotations

from boerse.accounts.tables import User
from tests.accounts.helpers import user_by_email
from tests.accounts.test_registration import GOOD
from tests.support.factories import make_user, sign_in
from tests.support.fixtures import run_worker
from tests.support.services import Mailbox, body_text


async def language_of(user: User) -> str:
    return (await User.select(User.language).where(User.id == user.id).first())["language"]


async def test_registration_in_english_stores_english_and_mails_in_english(
    client, mailbox: Mailbox
):
    await client.get("/?lang=en")  # the footer's link: the pages are English from now on

    response = await client.submit("/konto/registrieren", GOOD)

    assert response.status_code == 303
    await run_worker()
    assert (await user_by_email("erika.muster@example.org")).language == "en"
    assert mailbox.subjects() == ["Please confirm your email address"]


async def test_registration_takes_the_browser_language_when_nothing_was_chosen(client):
    await client.submit(
        "/konto/registrieren", GOOD, headers={"Accept-Language": "en-GB,en;q=0.9,de;q=0.5"}
    )
    await client.submit(
        "/konto/registrieren",
        {**GOOD, "email": "bernd@example.org"},
        headers={"Accept-Language": "fr-FR,fr;q=0.9"},
    )
    await run_worker()

    assert (await user_by_email("erika.muster@example.org")).language == "en"
    # A language we do not offer: German, the source language.
    assert (await user_by_email("bernd@example.org")).language == "de"


async def test_account_page_changes_the_language_of_the_mails(client, mailbox: Mailbox):
    anna = await make_user(email="anna@example.org", display_name="Anna")
    await sign_in(client, anna)
    page = await client.get("/konto")
    assert '<option value="de" selected>Deutsch</option>' in page.text

    response = await client.submit("/konto/sprache", {"language": "en"})

    assert response.status_code == 303
    assert response.headers["location"] == "/konto"
    assert "boerse_notice=language_changed" in response.headers["set-cookie"]
    assert await language_of(anna) == "en"
    # The pages follow the setting at once, the notice included.
    shown = await client.get("/konto")
    assert "Your language setting has been saved." in shown.text
    assert '<option value="en" selected>English</option>' in shown.text

    await client.submit("/konto/passwort-vergessen", {"email": "anna@example.org"})
    await run_worker()
    assert mailbox.subjects() == ["Reset password"]
    assert "Hello Anna" in body_text(mailbox.messages[0])


async def test_account_page_refuses_an_unknown_language_and_keeps_the_old_one(client):
    anna = await make_user(language="en")
    await sign_in(client, anna)

    response = await client.submit("/konto/sprache", {"language": "fr"})

    assert response.status_code == 400
    assert "kern-alert" in response.text  # the error summary
    assert await language_of(anna) == "en"


async def test_changing_the_language_needs_a_login_and_the_form_token(client):
    anna = await make_user()
    assert (await client.submit("/konto/sprache", {"language": "en"})).status_code == 303

    await sign_in(client, anna)
    forged = await client.post("/konto/sprache", data={"language": "en"})

    assert forged.status_code == 403
    assert await language_of(anna) == "de"


async def test_the_footer_link_changes_the_pages_but_not_the_stored_language(client):
    anna = await make_user()
    await sign_in(client, anna)

    page = await client.get("/konto?lang=en")

    assert "My account" in page.text
    assert await language_of(anna) == "de"


async def test_password_reset_asked_for_on_english_pages_follows_the_account(
    client, mailbox: Mailbox
):
    await make_user(email="anna@example.org", display_name="Anna")
    await make_user(email="ben@example.org", display_name="Ben", language="en")

    await client.get("/?lang=en")
    await client.submit("/konto/passwort-vergessen", {"email": "anna@example.org"})
    await client.get("/?lang=de")
    await client.submit("/konto/passwort-vergessen", {"email": "ben@example.org"})
    await run_worker()

    assert sorted(mailbox.subjects()) == ["Passwort zurücksetzen", "Reset password"]
    assert "Guten Tag Anna" in body_text(mailbox.to("anna@example.org")[0])
    assert "Hello Ben" in body_text(mailbox.to("ben@example.org")[0])
