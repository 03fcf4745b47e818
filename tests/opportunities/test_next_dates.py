"""Each offer's kept next date: kept by the services, advanced by the worker, and never
trusted by the list once it has begun."""

from __future__ import annotations

import datetime as dt

from boerse.lib.db import utcnow
from boerse.opportunities import services
from boerse.opportunities.jobs import CRON_JOBS, advance_next_dates, refresh_all_next_dates
from boerse.opportunities.schemas import SearchFilters, SessionInput
from boerse.opportunities.search import search
from boerse.opportunities.tables import Opportunity, OpportunitySession
from tests.support.factories import make_opportunity, make_organisation, make_session
from tests.support.fixtures import QueryCounter

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


async def kept(opportunity_id: int) -> dt.datetime | None:
    row = await Opportunity.select(Opportunity.next_starts_at).where(
        Opportunity.id == opportunity_id
    )
    return row[0]["next_starts_at"]


def date_at(starts_at: dt.datetime) -> SessionInput:
    return SessionInput(
        starts_at=starts_at, ends_at=starts_at + 2 * HOUR, capacity=5, location_note=""
    )


async def listed(**filters: object) -> list[str]:
    page = await search(SearchFilters(**filters))
    return [card["title"] for card in page.items]


async def test_adding_moving_and_deleting_dates_keeps_the_next_date() -> None:
    offer = await make_opportunity(await make_organisation())
    assert await kept(offer.id) is None
    later = utcnow().replace(microsecond=0) + 10 * DAY
    sooner = later - 7 * DAY
    later_id = await services.add_session(offer.id, date_at(later))
    assert await kept(offer.id) == later
    sooner_id = await services.add_session(offer.id, date_at(sooner))
    assert await kept(offer.id) == sooner

    assert await services.update_session(sooner_id, date_at(later + DAY))
    assert await kept(offer.id) == later
    assert await services.delete_session(later_id)
    assert await kept(offer.id) == later + DAY
    assert await services.delete_session(sooner_id)
    assert await kept(offer.id) is None


async def test_the_list_reads_a_begun_next_date_as_stale_until_the_worker_moves_it_on() -> None:
    org = await make_organisation()
    running = await make_opportunity(org, title="Läuft gerade")
    await make_session(running, starts_in=2 * HOUR)
    await make_session(running, starts_in=5 * DAY)
    tomorrow = await make_opportunity(org, title="Morgen")
    await make_session(tomorrow, starts_in=DAY)
    over = await make_opportunity(org, title="Vorbei")
    await make_session(over, starts_in=3 * HOUR)
    online = await make_opportunity(org, title="Online ohne Termin", is_online=True)

    # Four hours later, before the worker has run: two kept dates have begun.
    later = utcnow() + 4 * HOUR
    page = await search(SearchFilters(), now=later)
    assert [card["title"] for card in page.items] == [
        "Morgen",
        "Läuft gerade",
        "Online ohne Termin",
    ]
    assert page.total == 3
    newest = await search(SearchFilters(sort="newest"), now=later)
    assert {card["title"] for card in newest.items} == {c["title"] for c in page.items}

    await advance_next_dates({})  # the worker's run at the real "now" changes nothing yet
    assert await kept(over.id) is not None
    # The same state an hour after that date began: the kept date lies in the past.
    began = utcnow() - HOUR
    await OpportunitySession.update(
        {OpportunitySession.starts_at: began, OpportunitySession.ends_at: began + 2 * HOUR}
    ).where(OpportunitySession.opportunity == over.id)
    await Opportunity.update({Opportunity.next_starts_at: began}).where(Opportunity.id == over.id)
    assert "Vorbei" not in await listed()
    await advance_next_dates({})
    assert await kept(over.id) is None
    assert await kept(online.id) is None


async def test_the_nightly_run_repairs_dates_written_past_the_services() -> None:
    offer = await make_opportunity(await make_organisation(), title="Importiert")
    starts = utcnow() + 3 * DAY
    await OpportunitySession(
        opportunity=offer.id, starts_at=starts, ends_at=starts + HOUR, capacity=3
    ).save()
    assert await listed() == []
    await refresh_all_next_dates({})
    assert await listed() == ["Importiert"]


async def test_the_first_page_costs_three_queries_with_stale_dates_too() -> None:
    org = await make_organisation()
    for n in range(25):
        offer = await make_opportunity(org, title=f"Angebot {n:02}")
        await make_session(offer, starts_in=(n + 1) * HOUR)
    later = utcnow() + 3 * HOUR + dt.timedelta(minutes=30)
    with QueryCounter() as counted:
        page = await search(SearchFilters(), now=later)
    assert counted.count == 3
    assert page.total == 22 and len(page.items) == 20
    assert page.items[0]["title"] == "Angebot 03"


def test_the_worker_advances_every_minute_and_refreshes_every_night() -> None:
    schedule = {cron.coroutine: cron for cron in CRON_JOBS}
    assert schedule[advance_next_dates].second == {5}
    assert schedule[advance_next_dates].minute is None
    assert schedule[refresh_all_next_dates].hour == {2}
