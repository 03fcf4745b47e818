"""Signing up and cancelling: places, waitlist, promotion, emails through the real worker."""

from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar

from boerse.lib.db import utcnow
from boerse.opportunities import signups
from boerse.opportunities.signups import SignUpRefusedError
from boerse.opportunities.tables import OpportunitySession, OpportunityStatus, SignUp, SignUpStatus
from boerse.outbox.tables import OutboxEmail
from tests.support.factories import (
    make_opportunity,
    make_organisation,
    make_profile,
    make_session,
    make_user,
    sign_in,
)
from tests.support.fixtures import run_worker
from tests.support.services import Mailbox, body_text


async def seats(session_id: int) -> int:
    row = await OpportunitySession.select(OpportunitySession.seats_taken).where(
        OpportunitySession.id == session_id
    )
    return row[0]["seats_taken"]


async def status_of(session_id: int, user_id: int) -> str | None:
    row = (
        await SignUp.select(SignUp.status)
        .where((SignUp.session == session_id) & (SignUp.user == user_id))
        .first()
    )
    return row["status"] if row else None


async def offer(capacity: int = 10, **fields):
    opportunity = await make_opportunity(await make_organisation(), title="Bäume pflanzen")
    session = await make_session(opportunity, capacity=capacity, **fields)
    return opportunity, session


def ics_attachment(message) -> Calendar:
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            return Calendar.from_ical(part.get_payload(decode=True))
    raise AssertionError("no calendar attachment")


async def test_sign_up_takes_a_place_and_mails_a_calendar_entry(client, mailbox: Mailbox) -> None:
    opportunity, session = await offer()
    anna = await make_user(email="anna@example.org", display_name="Anna")
    await sign_in(client, anna)

    response = await client.submit(f"/termine/{session.id}/anmelden")

    assert response.status_code == 303
    assert response.headers["location"] == f"/angebote/{opportunity.id}#termin-{session.id}"
    assert "boerse_notice=signup_registered" in response.headers["set-cookie"]
    assert await status_of(session.id, anna.id) == "registered"
    assert await seats(session.id) == 1

    await run_worker()
    assert mailbox.subjects() == ["Ihre Anmeldung: Bäume pflanzen"]
    message = mailbox.messages[0]
    assert message["To"] == "anna@example.org"
    assert "Guten Tag Anna" in body_text(message)
    event = ics_attachment(message).walk("VEVENT")[0]
    signup_id = (await SignUp.select(SignUp.id).first())["id"]
    assert str(event["UID"]).startswith(f"signup-{signup_id}@")
    assert event.decoded("DTSTART") == session.starts_at.replace(microsecond=0)
    assert str(event["SUMMARY"]) == "Bäume pflanzen"


async def test_a_second_sign_up_is_idempotent(client) -> None:
    _, session = await offer()
    anna = await make_user()
    await sign_in(client, anna)

    await client.submit(f"/termine/{session.id}/anmelden")
    response = await client.submit(f"/termine/{session.id}/anmelden")

    assert "boerse_notice=signup_already" in response.headers["set-cookie"]
    assert await seats(session.id) == 1
    assert await SignUp.count() == 1
    assert await OutboxEmail.count() == 1


async def test_full_session_puts_people_on_the_waitlist(client, mailbox: Mailbox) -> None:
    _, session = await offer(capacity=1)
    await signups.sign_up((await make_user()).id, session.id)
    ben = await make_user(email="ben@example.org")
    await sign_in(client, ben)

    response = await client.submit(f"/termine/{session.id}/anmelden")

    assert "boerse_notice=signup_waitlisted" in response.headers["set-cookie"]
    row = await SignUp.objects().where(SignUp.user == ben.id).first()
    assert row.status == "waitlisted"
    assert row.waitlisted_at is not None
    assert await seats(session.id) == 1
    await run_worker()
    [message] = mailbox.to("ben@example.org")
    assert "Platz 1" in body_text(message)


async def test_cancelling_promotes_the_longest_waiting_person(client, mailbox: Mailbox) -> None:
    _, session = await offer(capacity=1)
    anna = await make_user(email="anna@example.org")
    ben = await make_user(email="ben@example.org")
    cleo = await make_user(email="cleo@example.org")
    for person in (anna, ben, cleo):
        await signups.sign_up(person.id, session.id)
    await run_worker()
    mailbox.clear()
    await sign_in(client, anna)

    response = await client.submit(f"/termine/{session.id}/abmelden", {"next": "/meine-termine"})

    assert response.status_code == 303
    assert response.headers["location"] == "/meine-termine"
    assert await status_of(session.id, anna.id) == "cancelled"
    assert await status_of(session.id, ben.id) == "registered"
    assert await status_of(session.id, cleo.id) == "waitlisted"
    assert await seats(session.id) == 1
    await run_worker()
    assert mailbox.subjects() == ["Sie haben einen Platz: Bäume pflanzen"]
    [message] = mailbox.to("ben@example.org")
    assert "nachgerückt" in body_text(message)
    assert ics_attachment(message).walk("VEVENT")[0]["STATUS"] == "CONFIRMED"


async def test_cancelling_a_waitlist_place_frees_nothing(client) -> None:
    _, session = await offer(capacity=1)
    anna, ben = await make_user(), await make_user()
    await signups.sign_up(anna.id, session.id)
    await signups.sign_up(ben.id, session.id)
    await sign_in(client, ben)

    await client.submit(f"/termine/{session.id}/abmelden")

    assert await status_of(session.id, ben.id) == "cancelled"
    assert await status_of(session.id, anna.id) == "registered"
    assert await seats(session.id) == 1


async def test_re_signing_after_cancelling_reuses_the_row() -> None:
    _, session = await offer()
    anna = await make_user()
    await signups.sign_up(anna.id, session.id)
    await signups.cancel(anna.id, session.id)
    assert await seats(session.id) == 0

    outcome = await signups.sign_up(anna.id, session.id)

    assert outcome.changed and outcome.status == "registered"
    assert await SignUp.count() == 1
    assert await seats(session.id) == 1
    assert await OutboxEmail.count() == 2  # a second confirmation for the second sign-up


async def test_cancelling_twice_frees_the_place_once() -> None:
    _, session = await offer()
    anna, ben = await make_user(), await make_user()
    await signups.sign_up(anna.id, session.id)
    await signups.sign_up(ben.id, session.id)

    await signups.cancel(anna.id, session.id)
    await signups.cancel(anna.id, session.id)

    assert await seats(session.id) == 1


async def test_past_sessions_refuse_sign_ups_and_cancellations(client) -> None:
    opportunity, session = await offer(starts_in=dt.timedelta(hours=-1))
    anna = await make_user()
    await sign_in(client, anna)

    response = await client.submit(f"/termine/{session.id}/anmelden")

    assert response.headers["location"] == f"/angebote/{opportunity.id}#termin-{session.id}"
    assert "boerse_notice=signup_closed" in response.headers["set-cookie"]
    assert await SignUp.count() == 0
    await SignUp.insert(SignUp(session=session.id, user=anna.id, status="registered"))
    with pytest.raises(SignUpRefusedError):
        await signups.cancel(anna.id, session.id)
    assert await status_of(session.id, anna.id) == "registered"


async def test_closed_offers_refuse_and_drafts_do_not_exist(client) -> None:
    organisation = await make_organisation()
    closed = await make_session(await make_opportunity(organisation, OpportunityStatus.CLOSED))
    draft = await make_session(await make_opportunity(organisation, OpportunityStatus.DRAFT))
    await sign_in(client, await make_user())

    response = await client.submit(f"/termine/{closed.id}/anmelden")
    assert "boerse_notice=signup_closed" in response.headers["set-cookie"]
    assert (await client.submit(f"/termine/{draft.id}/anmelden")).status_code == 404
    assert (await client.submit("/termine/999999/anmelden")).status_code == 404
    assert await SignUp.count() == 0


async def test_minimum_age_counts_only_when_the_birth_year_is_known(client) -> None:
    opportunity = await make_opportunity(await make_organisation(), min_age=18)
    session = await make_session(opportunity)
    young = await make_user()
    await make_profile(young, birth_year=utcnow().year - 12)
    unknown = await make_user()

    with pytest.raises(SignUpRefusedError) as refused:
        await signups.sign_up(young.id, session.id)
    assert refused.value.reason == "signup_too_young"
    assert (await signups.sign_up(unknown.id, session.id)).status == "registered"
    assert await seats(session.id) == 1


async def test_anonymous_visitors_are_sent_to_the_login(client) -> None:
    opportunity, session = await offer()

    response = await client.submit(f"/termine/{session.id}/anmelden")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/konto/anmelden?next=")
    back = await client.get(f"/termine/{session.id}/anmelden")
    assert back.headers["location"] == f"/angebote/{opportunity.id}#termin-{session.id}"


async def test_cancel_never_redirects_off_site(client) -> None:
    opportunity, session = await offer()
    anna = await make_user()
    await signups.sign_up(anna.id, session.id)
    await sign_in(client, anna)

    response = await client.submit(
        f"/termine/{session.id}/abmelden", {"next": "//evil.example/phish"}
    )

    assert response.headers["location"] == f"/angebote/{opportunity.id}#termin-{session.id}"


async def test_release_places_of_user_frees_future_places_only(mailbox: Mailbox) -> None:
    _, future = await offer(capacity=1)
    _, past = await offer(starts_in=dt.timedelta(days=-3))
    leaving = await make_user()
    waiting = await make_user(email="wartend@example.org")
    await signups.sign_up(leaving.id, future.id)
    await signups.sign_up(waiting.id, future.id)
    await SignUp.insert(SignUp(session=past.id, user=leaving.id, status="registered"))
    await run_worker()
    mailbox.clear()

    assert await signups.release_places_of_user(leaving.id) == 1

    assert await status_of(future.id, leaving.id) == "cancelled"
    assert await status_of(past.id, leaving.id) == "registered"
    assert await status_of(future.id, waiting.id) == "registered"
    await run_worker()
    assert [m["To"] for m in mailbox.messages] == ["wartend@example.org"]


async def test_raising_capacity_moves_the_waitlist_up() -> None:
    _, session = await offer(capacity=1)
    people = [await make_user() for _ in range(4)]
    for person in people:
        await signups.sign_up(person.id, session.id)
    await OpportunitySession.update({OpportunitySession.capacity: 3}).where(
        OpportunitySession.id == session.id
    )

    assert await signups.fill_from_waitlist(session.id) == 2

    assert [await status_of(session.id, p.id) for p in people] == [
        "registered",
        "registered",
        "registered",
        "waitlisted",
    ]
    assert await seats(session.id) == 3


async def test_signup_states_in_one_query(count_queries) -> None:
    _, first = await offer()
    _, second = await offer(capacity=0)
    _, third = await offer()
    anna = await make_user()
    await signups.sign_up(anna.id, first.id)
    await signups.sign_up(anna.id, second.id)
    await signups.sign_up(anna.id, third.id)
    await signups.cancel(anna.id, third.id)

    with count_queries() as counted:
        states = await signups.signup_states(anna.id, [first.id, second.id, third.id])

    assert states == {first.id: "registered", second.id: "waitlisted"}
    assert counted.count == 1
    assert await signups.signup_states(None, [first.id]) == {}


async def test_offer_page_shows_the_sign_up_control_for_each_state(client) -> None:
    opportunity, session = await offer(capacity=1)
    page = (await client.get(f"/angebote/{opportunity.id}")).text
    assert "Melden Sie sich an, um teilzunehmen" in page

    anna, ben = await make_user(), await make_user()
    await sign_in(client, anna)
    page = (await client.get(f"/angebote/{opportunity.id}")).text
    assert f'action="/termine/{session.id}/anmelden"' in page
    assert "Jetzt teilnehmen" in page

    await client.submit(f"/termine/{session.id}/anmelden")
    page = (await client.get(f"/angebote/{opportunity.id}")).text
    assert "Sie sind angemeldet" in page
    assert f'action="/termine/{session.id}/abmelden"' in page

    await sign_in(client, ben)
    page = (await client.get(f"/angebote/{opportunity.id}")).text
    assert "Auf die Warteliste setzen" in page
    await client.submit(f"/termine/{session.id}/anmelden")
    page = (await client.get(f"/angebote/{opportunity.id}")).text
    assert "Sie stehen auf der Warteliste" in page
    assert "Von der Warteliste abmelden" in page


async def test_raising_the_capacity_moves_the_waitlist_up() -> None:
    from boerse.opportunities import services as opportunity_services
    from boerse.opportunities.schemas import SessionInput

    organisation = await make_organisation()
    opportunity = await make_opportunity(organisation)
    session = await make_session(opportunity, capacity=1)
    first, second = await make_user(), await make_user()
    await signups.sign_up(first.id, session.id)
    await signups.sign_up(second.id, session.id)

    changed = SessionInput(
        starts_at=session.starts_at, ends_at=session.ends_at, capacity=2, location_note=""
    )
    assert await opportunity_services.update_session(session.id, changed)

    states = await signups.signup_states(second.id, [session.id])
    assert states[session.id] == SignUpStatus.REGISTERED
    assert await seats(session.id) == 2
