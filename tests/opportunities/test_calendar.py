"""'Meine Termine' and the private iCalendar feed."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar

from boerse.opportunities import signups
from boerse.opportunities.tables import OpportunityStatus, SignUp
from tests.support.factories import (
    make_opportunity,
    make_organisation,
    make_session,
    make_user,
    sign_in,
)


async def dated(title: str, starts_in: dt.timedelta, capacity: int = 5, **fields):
    opportunity = await make_opportunity(await make_organisation(), title=title, **fields)
    return await make_session(opportunity, starts_in=starts_in, capacity=capacity)


async def attended(user_id: int, session_id: int) -> None:
    """A sign-up for a session that already happened (sign-ups are closed by then)."""
    await SignUp.insert(SignUp(session=session_id, user=user_id, status="registered"))


async def test_my_dates_lists_upcoming_and_past_with_waitlist_position(client) -> None:
    anna = await make_user()
    upcoming = await dated("Stadtteilspaziergang", dt.timedelta(days=3))
    full = await dated("Lesepaten", dt.timedelta(days=5), capacity=1)
    past = await dated("Müllsammeln", dt.timedelta(days=-10))
    cancelled = await dated("Abgesagtes Treffen", dt.timedelta(days=4))
    await signups.sign_up(anna.id, upcoming.id)
    await signups.sign_up((await make_user()).id, full.id)
    await signups.sign_up((await make_user()).id, full.id)
    await signups.sign_up(anna.id, full.id)
    await signups.sign_up(anna.id, cancelled.id)
    await signups.cancel(anna.id, cancelled.id)
    await attended(anna.id, past.id)
    await SignUp.update({SignUp.attendance: "attended", SignUp.hours: 2.5}).where(
        SignUp.session == past.id
    )
    await sign_in(client, anna)

    response = await client.get("/meine-termine")

    assert response.status_code == 200
    page = response.text
    coming, _, gone = page.partition("Vergangene Termine")
    assert "Stadtteilspaziergang" in coming and "Lesepaten" in coming
    assert "Platz 2 der Warteliste" in coming
    assert "Müllsammeln" in gone and "Müllsammeln" not in coming
    assert "Teilgenommen · 2,5 Std." in gone
    assert "webcal://" in page
    assert "Abgesagtes Treffen" not in page
    assert f'action="/termine/{upcoming.id}/abmelden"' in page
    assert f'action="/termine/{past.id}/abmelden"' not in page
    assert f"/kalender/{anna.calendar_token}.ics" in page


async def test_cancel_button_on_my_dates_returns_there(client) -> None:
    anna = await make_user()
    session = await dated("Stadtteilspaziergang", dt.timedelta(days=3))
    await signups.sign_up(anna.id, session.id)
    await sign_in(client, anna)

    response = await client.submit(f"/termine/{session.id}/abmelden", {"next": "/meine-termine"})

    assert response.headers["location"] == "/meine-termine"
    assert "Stadtteilspaziergang" not in (await client.get("/meine-termine")).text


async def test_my_dates_needs_a_login(client) -> None:
    response = await client.get("/meine-termine")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/konto/anmelden")


async def test_my_dates_runs_a_fixed_number_of_queries(client, count_queries) -> None:
    anna = await make_user()
    await sign_in(client, anna)

    async def add_dates(count: int) -> None:
        for index in range(count):
            session = await dated(f"Termin {index}", dt.timedelta(days=index + 1), capacity=0)
            await signups.sign_up(anna.id, session.id)
            past = await dated(f"Vorbei {index}", dt.timedelta(days=-index - 1))
            await attended(anna.id, past.id)

    await add_dates(1)
    with count_queries() as few:
        assert (await client.get("/meine-termine")).status_code == 200
    await add_dates(6)
    with count_queries() as many:
        assert (await client.get("/meine-termine")).status_code == 200

    assert many.count == few.count <= 5


async def test_feed_holds_live_future_and_recent_dates_only(client) -> None:
    anna = await make_user()
    other = await make_user()
    upcoming = await dated("Stadtteilspaziergang", dt.timedelta(days=3), is_online=False)
    full = await dated("Lesepaten", dt.timedelta(days=5), capacity=0)
    recent = await dated("Müllsammeln", dt.timedelta(days=-3))
    old = await dated("Uraltes Treffen", dt.timedelta(days=-90))
    gone = await dated("Abgesagt", dt.timedelta(days=6))
    foreign = await dated("Fremder Termin", dt.timedelta(days=2))
    await signups.sign_up(anna.id, upcoming.id)
    await signups.sign_up(anna.id, full.id)
    await signups.sign_up(anna.id, gone.id)
    await signups.cancel(anna.id, gone.id)
    await signups.sign_up(other.id, foreign.id)
    await attended(anna.id, recent.id)
    await attended(anna.id, old.id)

    response = await client.get(f"/kalender/{anna.calendar_token}.ics")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}
    assert set(events) == {"Stadtteilspaziergang", "Warteliste: Lesepaten", "Müllsammeln"}
    assert str(events["Warteliste: Lesepaten"]["STATUS"]) == "TENTATIVE"
    spaziergang = events["Stadtteilspaziergang"]
    assert spaziergang.decoded("DTSTART") == upcoming.starts_at.replace(microsecond=0)
    assert "04109 Leipzig" in str(spaziergang["LOCATION"])
    signup_id = (await SignUp.select(SignUp.id).where(SignUp.session == upcoming.id).first())["id"]
    assert str(spaziergang["UID"]).startswith(f"signup-{signup_id}@")


async def test_feed_of_unknown_token_is_not_found(client) -> None:
    await make_user()
    assert (await client.get("/kalender/gibt-es-nicht.ics")).status_code == 404
    assert (await client.get("/kalender/.ics")).status_code == 404
    assert (await client.get(f"/kalender/{'x' * 300}.ics")).status_code == 404


async def test_feed_needs_the_ics_suffix(client) -> None:
    anna = await make_user()
    assert (await client.get(f"/kalender/{anna.calendar_token}")).status_code == 404


async def test_feed_names_its_type_once_and_answers_head(client) -> None:
    anna = await make_user()
    url = f"/kalender/{anna.calendar_token}.ics"

    response = await client.get(url)
    head = await client.head(url)

    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert head.status_code == 200
    assert head.headers["content-type"] == "text/calendar; charset=utf-8"
    assert head.content == b""


async def test_one_date_downloads_as_the_viewers_own_entry_or_the_public_date(client) -> None:
    session = await dated("Stadtteilspaziergang", dt.timedelta(days=3))
    draft = await dated("Entwurf", dt.timedelta(days=3), status=OpportunityStatus.DRAFT)
    url = f"/termine/{session.id}/kalender.ics"

    anonymous = await client.get(url)
    assert anonymous.status_code == 200
    assert anonymous.headers["content-disposition"].startswith("attachment;")
    (event,) = Calendar.from_ical(anonymous.content).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Stadtteilspaziergang"
    assert str(event["UID"]).startswith(f"date-{session.id}@")
    assert (await client.get(f"/termine/{draft.id}/kalender.ics")).status_code == 404
    assert (await client.head(url)).status_code == 200

    anna = await make_user()
    await signups.sign_up(anna.id, session.id)
    await sign_in(client, anna)
    (own,) = Calendar.from_ical((await client.get(url)).content).walk("VEVENT")
    feed = Calendar.from_ical((await client.get(f"/kalender/{anna.calendar_token}.ics")).content)
    (in_feed,) = feed.walk("VEVENT")
    assert str(own["UID"]) == str(in_feed["UID"])  # one entry when both are imported


async def test_the_detail_page_and_my_dates_offer_the_download(client) -> None:
    session = await dated("Stadtteilspaziergang", dt.timedelta(days=3))
    anna = await make_user()
    await signups.sign_up(anna.id, session.id)
    await sign_in(client, anna)
    link = f'href="/termine/{session.id}/kalender.ics" download'

    detail = await client.get(f"/angebote/{session.opportunity}")
    mine = await client.get("/meine-termine")

    assert link in detail.text and "In meinen Kalender" in detail.text
    assert link in mine.text
    assert "Outlook" not in mine.text  # one line of explanation, no instructions per program
