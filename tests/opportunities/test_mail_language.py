"""Sign-up mails are in the recipient's language, whoever caused them: an officer working in
English, a resident on German pages, the nightly reminder job."""

from __future__ import annotations

import datetime as dt

from boerse.opportunities import signups
from boerse.opportunities.jobs import send_session_reminders
from tests.opportunities.test_participants import setting, url
from tests.opportunities.test_signups import ics_attachment, offer
from tests.support.factories import (
    make_opportunity,
    make_organisation,
    make_session,
    make_user,
    sign_in,
)
from tests.support.fixtures import run_worker
from tests.support.services import Mailbox, body_text


async def sign_in_in_english(client, user) -> None:
    """An officer whose pages are English (the footer's link sets the language cookie)."""
    await client.get("/?lang=en")
    await sign_in(client, user)


async def test_officer_on_english_pages_cancels_and_promotes_in_german(
    client, mailbox: Mailbox
) -> None:
    officer, session, _, signup_ids = await setting()
    await run_worker()
    mailbox.clear()
    await sign_in_in_english(client, officer)

    response = await client.submit(f"{url(session)}/{signup_ids[0]}/absagen")

    assert response.status_code == 303
    await run_worker()
    assert sorted(mailbox.subjects()) == ["Abgesagt: Lesepaten", "Sie haben einen Platz: Lesepaten"]
    assert "Guten Tag Anna Amsel" in body_text(mailbox.to("anna@example.org")[0])
    [promoted] = mailbox.to("cleo@example.org")
    assert "Guten Tag Cleo Christ" in body_text(promoted)


async def test_one_officer_action_writes_to_each_resident_in_their_language(
    client, mailbox: Mailbox
) -> None:
    officer, session, people, signup_ids = await setting()
    await people[2].update_self({"language": "en"})  # Cleo, on the waitlist
    await run_worker()
    mailbox.clear()
    await sign_in_in_english(client, officer)

    await client.submit(f"{url(session)}/{signup_ids[0]}/absagen")

    await run_worker()
    assert sorted(mailbox.subjects()) == ["Abgesagt: Lesepaten", "You have a place: Lesepaten"]
    assert "Hello Cleo Christ" in body_text(mailbox.to("cleo@example.org")[0])


async def test_english_resident_signing_up_on_german_pages_gets_english_mail(
    client, mailbox: Mailbox
) -> None:
    _, session = await offer()
    tom = await make_user(email="tom@example.org", display_name="Tom", language="en")
    await sign_in(client, tom)

    response = await client.submit(f"/termine/{session.id}/anmelden")

    assert response.status_code == 303
    await run_worker()
    assert mailbox.subjects() == ["Your sign-up: Bäume pflanzen"]
    assert "Hello Tom" in body_text(mailbox.messages[0])
    assert str(ics_attachment(mailbox.messages[0]).walk("VEVENT")[0]["SUMMARY"]) == (
        "Bäume pflanzen"
    )


async def test_waitlist_mail_and_reminder_follow_each_recipients_language(
    mailbox: Mailbox,
) -> None:
    opportunity = await make_opportunity(await make_organisation(), title="Lesepaten")
    tomorrow = await make_session(opportunity, starts_in=dt.timedelta(hours=20), capacity=1)
    tom = await make_user(email="tom@example.org", display_name="Tom", language="en")
    anna = await make_user(email="anna@example.org", display_name="Anna")
    await signups.sign_up(tom.id, tomorrow.id)
    await signups.sign_up(anna.id, tomorrow.id)  # waitlisted
    await run_worker()
    assert sorted(mailbox.subjects()) == ["Warteliste: Lesepaten", "Your sign-up: Lesepaten"]
    mailbox.clear()

    assert await send_session_reminders({}) == 1
    await run_worker()

    assert mailbox.subjects() == ["Reminder of your session: Lesepaten"]
    assert "Hello Tom" in body_text(mailbox.messages[0])
