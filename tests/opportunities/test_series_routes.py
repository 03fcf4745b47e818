"""The officer's pages for recurring dates: create a series, change this and following dates,
cancel dates; who may, what a bad rule shows, and that nothing is saved half."""

from __future__ import annotations

import datetime as dt

from boerse.lib.db import utcnow
from boerse.lib.formatting import TOWN_TIMEZONE
from boerse.opportunities import services, signups
from boerse.opportunities.tables import OpportunitySeries, OpportunitySession, SignUp
from tests.support.factories import (
    make_officer,
    make_opportunity,
    make_organisation,
    make_session,
    make_user,
    sign_in,
)
from tests.support.fixtures import run_worker
from tests.support.services import Mailbox, body_text


def saturday(after_days: int = 3) -> dt.date:
    day = (utcnow().astimezone(TOWN_TIMEZONE) + dt.timedelta(days=after_days)).date()
    return day + dt.timedelta(days=(5 - day.weekday()) % 7)


def series_form(**changes: str) -> dict[str, str]:
    first = saturday()
    values = {
        "frequency": "weekly",
        "first_date": first.isoformat(),
        "series_starts": "10:00",
        "duration": "180",
        "until": (first + dt.timedelta(weeks=5)).isoformat(),
        "count": "",
        "exceptions": (first + dt.timedelta(weeks=2)).strftime("%d.%m.%Y"),
        "series_capacity": "12",
        "series_location_note": "Hinterhof",
    }
    return values | changes


async def setting(client):
    org = await make_organisation()
    opportunity = await make_opportunity(org, title="Repair-Café")
    await sign_in(client, await make_officer(org))
    return opportunity, f"/verwaltung/angebote/{opportunity.id}"


async def test_the_dates_page_offers_a_series_and_creates_it(client) -> None:
    opportunity, base = await setting(client)

    page = await client.get(f"{base}/termine")
    assert "Terminserie anlegen" in page.text and 'value="10"' in page.text
    response = await client.submit(f"{base}/serien", series_form())

    assert response.status_code == 303
    assert "boerse_notice=series_created" in response.headers["set-cookie"]
    dates = await services.sessions_of(opportunity.id)
    assert len(dates) == 5  # six Saturdays, one left out
    assert {d["capacity"] for d in dates} == {12}
    page = await client.get(f"{base}/termine")
    assert page.text.count("Diesen und alle folgenden ändern") == 5
    assert "Nur diesen Termin bearbeiten" in page.text


async def test_an_impossible_rule_is_explained_and_nothing_saved(client) -> None:
    _opportunity, base = await setting(client)

    response = await client.submit(f"{base}/serien", series_form(count="8"))

    assert response.status_code == 400
    assert "entweder ein Enddatum oder eine Anzahl" in response.text
    assert 'value="Hinterhof"' in response.text and 'value="180"' in response.text
    assert await OpportunitySeries.select(OpportunitySeries.id) == []
    assert await OpportunitySession.count() == 0


async def test_other_organisations_cannot_touch_the_series(client) -> None:
    opportunity = await make_opportunity(await make_organisation())
    session = await make_session(opportunity)
    await sign_in(client, await make_officer(await make_organisation()))
    base = f"/verwaltung/angebote/{opportunity.id}"

    assert (await client.submit(f"{base}/serien", series_form())).status_code == 403
    assert (await client.get(f"{base}/termine/{session.id}/absagen")).status_code == 403
    assert (
        await client.submit(f"{base}/termine/{session.id}/absagen", {"scope": "one"})
    ).status_code == 403
    assert await OpportunitySession.count() == 1


async def test_change_this_and_following_from_the_page(client, mailbox: Mailbox) -> None:
    opportunity, base = await setting(client)
    await client.submit(f"{base}/serien", series_form(exceptions=""))
    dates = await services.sessions_of(opportunity.id)
    person = await make_user(email="anna@example.org")
    await signups.sign_up(person.id, dates[3]["id"])
    await run_worker()
    mailbox.clear()
    url = f"{base}/termine/{dates[2]['id']}/serie"

    form = await client.get(url)
    assert form.status_code == 200 and 'value="10:00"' in form.text and 'value="180"' in form.text
    refused = await client.submit(
        url,
        {
            "scope": "following",
            "shift_days": "-400",
            "starts": "10:00",
            "duration": "180",
            "capacity": "12",
        },
    )
    assert refused.status_code == 400 and "Bitte eine Zahl von -366 bis 366" in refused.text
    response = await client.submit(
        url,
        {
            "scope": "following",
            "shift_days": "0",
            "starts": "15:00",
            "duration": "120",
            "capacity": "12",
            "location_note": "Saal",
        },
    )

    assert response.status_code == 303
    after = await services.sessions_of(opportunity.id)
    times = [d["starts_at"].astimezone(TOWN_TIMEZONE).strftime("%H:%M") for d in after]
    assert times == ["10:00", "10:00", "15:00", "15:00", "15:00", "15:00"]
    await run_worker()
    [message] = mailbox.messages
    assert message["To"] == "anna@example.org" and "15:00" in body_text(message)


async def test_cancel_the_whole_series_from_the_page(client, mailbox: Mailbox) -> None:
    opportunity, base = await setting(client)
    await client.submit(f"{base}/serien", series_form())
    dates = await services.sessions_of(opportunity.id)
    person = await make_user(email="ben@example.org")
    await signups.sign_up(person.id, dates[-1]["id"])
    await run_worker()
    mailbox.clear()
    url = f"{base}/termine/{dates[1]['id']}/absagen"

    page = await client.get(url)
    assert page.status_code == 200
    assert "Alle kommenden Termine der Serie (Termine: 5, angemeldete Personen: 1)" in page.text
    assert (await client.submit(url, {"scope": "everything"})).status_code == 400
    response = await client.submit(url, {"scope": "series"})

    assert response.status_code == 303
    assert "boerse_notice=dates_cancelled" in response.headers["set-cookie"]
    assert await OpportunitySession.count() == 0
    assert await SignUp.count() == 0  # the date and its (cancelled) sign-ups are gone
    await run_worker()
    assert mailbox.subjects() == ["Termin abgesagt: Repair-Café"]


async def test_a_begun_date_is_not_offered_for_changes(client) -> None:
    opportunity, base = await setting(client)
    begun = await make_session(opportunity, starts_in=-dt.timedelta(minutes=10))

    response = await client.get(f"{base}/termine/{begun.id}/absagen")

    assert response.status_code == 303
    assert "boerse_notice=series_past" in response.headers["set-cookie"]
    assert (await client.get(f"{base}/termine/{begun.id + 1}/absagen")).status_code == 404


async def test_too_few_places_for_a_following_date_are_refused(client, mailbox: Mailbox) -> None:
    opportunity, base = await setting(client)
    await client.submit(f"{base}/serien", series_form(exceptions=""))
    dates = await services.sessions_of(opportunity.id)
    for email in ("anna@example.org", "ben@example.org"):
        await signups.sign_up((await make_user(email=email)).id, dates[4]["id"])
    dates = await services.sessions_of(opportunity.id)
    url = f"{base}/termine/{dates[1]['id']}/serie"
    values = {"scope": "following", "shift_days": "0", "starts": "12:00", "duration": "60"}

    response = await client.submit(url, values | {"capacity": "1", "location_note": "Saal"})

    assert response.status_code == 400
    assert "sind mehr Plätze vergeben" in response.text and 'value="Saal"' in response.text
    assert await services.sessions_of(opportunity.id) == dates
