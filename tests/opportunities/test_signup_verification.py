"""Only a confirmed address may book a date, and confirming brings the person back to it."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from boerse.opportunities.tables import SignUp
from tests.accounts.helpers import delivered_link, user_by_email
from tests.opportunities.test_signups import offer
from tests.support.factories import PASSWORD, make_user, sign_in
from tests.support.services import Mailbox


async def test_an_unverified_account_cannot_book_and_returns_to_the_date_after_confirming(
    client, mailbox: Mailbox
) -> None:
    opportunity, session = await offer()
    person = await make_user(email="neu@example.org", verified=False)
    await sign_in(client, person)
    date_url = f"/angebote/{opportunity.id}#termin-{session.id}"

    refused = await client.submit(f"/termine/{session.id}/anmelden")

    assert refused.status_code == 303
    location = urlsplit(refused.headers["location"])
    assert location.path == "/konto/bestaetigung-erneut"
    assert parse_qs(location.query)["next"] == [date_url]
    assert await SignUp.count().where(SignUp.user == person.id) == 0
    page = await client.get(refused.headers["location"])
    assert "Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse" in page.text
    assert f'name="next" value="{date_url}"' in page.text

    resent = await client.submit("/konto/bestaetigung-erneut", {"next": date_url})
    assert resent.status_code == 303
    link = await delivered_link(mailbox, "neu@example.org", "/konto/bestaetigen")
    confirmed = await client.get(link)

    assert confirmed.status_code == 303
    assert confirmed.headers["location"] == date_url
    booked = await client.submit(f"/termine/{session.id}/anmelden")
    assert booked.headers["location"] == date_url
    assert await SignUp.count().where(SignUp.user == person.id) == 1


async def test_a_newcomer_who_registers_on_the_way_to_a_date_lands_on_it_after_login(
    client, mailbox: Mailbox
) -> None:
    opportunity, session = await offer()
    after_login = f"/termine/{session.id}/anmelden"
    login = await client.get(f"/konto/anmelden?next={after_login}")
    assert f"/konto/registrieren?next=%2Ftermine%2F{session.id}%2Fanmelden" in login.text

    await client.submit(
        f"/konto/registrieren?next={after_login}",
        {
            "email": "erika@example.org",
            "display_name": "Erika",
            "password": PASSWORD,
            "password_repeat": PASSWORD,
            "consent": "on",
            "next": after_login,
        },
    )
    link = await delivered_link(mailbox, "erika@example.org", "/konto/bestaetigen")
    confirmed = await client.get(link)

    location = urlsplit(confirmed.headers["location"])
    assert location.path == "/konto/anmelden"
    assert parse_qs(location.query)["next"] == [after_login]
    logged_in = await client.submit(
        confirmed.headers["location"],
        {"email": "erika@example.org", "password": PASSWORD, "next": after_login},
    )
    assert logged_in.headers["location"] == after_login
    back = await client.get(after_login)
    assert back.headers["location"] == f"/angebote/{opportunity.id}#termin-{session.id}"
    user = await user_by_email("erika@example.org")
    assert user.email_verified_at is not None


async def test_a_foreign_return_path_in_the_confirmation_link_is_ignored(
    client, mailbox: Mailbox
) -> None:
    person = await make_user(email="neu@example.org", verified=False)
    await sign_in(client, person)
    await client.submit("/konto/bestaetigung-erneut", {"next": "//evil.example/x"})
    link = await delivered_link(mailbox, "neu@example.org", "/konto/bestaetigen")

    assert "evil" not in link
    assert (await client.get(link)).headers["location"] == "/konto"
