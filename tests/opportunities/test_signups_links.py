"""Every mail about a sign-up carries its personal link (confirmation, waitlist, promotion,
reminder), for residents as for guests; the link opens the sign-up's page."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from boerse.accounts.tables import Role
from boerse.opportunities import signups
from boerse.opportunities.jobs import send_session_reminders
from boerse.opportunities.signup_links import link_token
from boerse.opportunities.tables import SignUp
from tests.support.factories import make_opportunity, make_organisation, make_session, make_user
from tests.support.fixtures import links_in, run_worker
from tests.support.services import Mailbox, body_text


def personal_links(message) -> list[str]:
    return [link for link in links_in(body_text(message)) if "/anmeldung/" in link]


async def signup_id(user_id: int) -> int:
    return (await SignUp.select(SignUp.id).where(SignUp.user == user_id).first())["id"]


async def test_confirmation_waitlist_promotion_and_reminder_carry_the_link(
    client, mailbox: Mailbox
) -> None:
    opportunity = await make_opportunity(await make_organisation(), title="Lesepaten")
    session = await make_session(opportunity, starts_in=dt.timedelta(hours=20), capacity=1)
    anna = await make_user(email="anna@example.org")
    ben = await make_user(email="ben@example.org")
    await signups.sign_up(anna.id, session.id)
    await signups.sign_up(ben.id, session.id)  # waitlisted
    await signups.cancel(anna.id, session.id)  # ben moves up
    await send_session_reminders({})
    await run_worker()

    anna_link = f"/anmeldung/{link_token(await signup_id(anna.id))}"
    ben_link = f"/anmeldung/{link_token(await signup_id(ben.id))}"
    [confirmed] = mailbox.to("anna@example.org")
    assert [urlsplit(link).path for link in personal_links(confirmed)] == [anna_link] * 2
    assert "/meine-termine" in body_text(confirmed)  # residents keep their overview
    ben_mails = mailbox.to("ben@example.org")
    assert len(ben_mails) == 3  # waitlist, promotion, reminder
    for message in ben_mails:
        assert {urlsplit(link).path for link in personal_links(message)} == {ben_link}

    page = await client.get(ben_link)
    assert page.status_code == 200
    assert "Lesepaten" in page.text
    assert "Konto anlegen" not in page.text  # a resident has an account already


async def test_a_guests_reminder_carries_the_link_and_the_upgrade(mailbox: Mailbox) -> None:
    opportunity = await make_opportunity(await make_organisation(), max_companions=2)
    session = await make_session(opportunity, starts_in=dt.timedelta(hours=20))
    guest = await make_user(email="gast@example.org", role=Role.GUEST)
    await signups.sign_up(guest.id, session.id, companions=2)
    await run_worker()
    mailbox.clear()

    await send_session_reminders({})
    await run_worker()

    [reminder] = mailbox.to("gast@example.org")
    text = body_text(reminder)
    assert f"/anmeldung/{link_token(await signup_id(guest.id))}" in text
    assert "für Sie und 2 weitere Personen" in text
    assert "legen Sie ein Konto an" in text
    assert "/meine-termine" not in text
