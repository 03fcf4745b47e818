"""The public iCalendar feed: every published date, filtered like the list, for the whole
town and per organisation; read back with the icalendar library as a calendar program would."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar

from boerse.lib.urls import site_url
from boerse.opportunities.calendar import date_uid
from boerse.opportunities.schemas import FILTER_NAMES
from boerse.opportunities.tables import Mode, OpportunitySession, OpportunityStatus
from tests.support.factories import make_opportunity, make_organisation, make_session

FEED = "/angebote/kalender.ics"


def events_of(text: str) -> dict[str, object]:
    """The feed's events by UID (parsing fails loudly on anything that is not iCalendar)."""
    calendar = Calendar.from_ical(text)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


async def test_the_feed_holds_published_dates_with_times_places_free_places_and_links(
    client,
) -> None:
    town_hall = await make_organisation("Stadtverwaltung Feedhausen")
    offer = await make_opportunity(
        town_hall, title="Bäume pflanzen", summary="Wir pflanzen Bäume.", address="Stadtpark"
    )
    coming = await make_session(offer, starts_in=dt.timedelta(days=3), capacity=4)
    later = await make_session(offer, starts_in=dt.timedelta(days=10), capacity=2, seats_taken=2)
    recent = await make_session(offer, starts_in=dt.timedelta(days=-5))
    await make_session(offer, starts_in=dt.timedelta(days=-60))  # too long ago
    draft = await make_opportunity(town_hall, status=OpportunityStatus.DRAFT, title="Entwurf")
    await make_session(draft, starts_in=dt.timedelta(days=3))
    closed = await make_opportunity(town_hall, status=OpportunityStatus.CLOSED, title="Zu")
    await make_session(closed, starts_in=dt.timedelta(days=3))

    response = await client.get(FEED)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert "set-cookie" not in response.headers
    calendar = Calendar.from_ical(response.text)
    assert str(calendar["X-WR-CALNAME"]).endswith("– Termine")
    assert calendar["REFRESH-INTERVAL"].dt == dt.timedelta(hours=1)
    assert str(calendar["X-PUBLISHED-TTL"].to_ical().decode()) == "PT1H"
    events = events_of(response.text)
    assert set(events) == {date_uid(coming.id), date_uid(later.id), date_uid(recent.id)}
    event = events[date_uid(coming.id)]
    assert event["DTSTART"].dt == coming.starts_at.replace(microsecond=0)
    assert event["DTSTART"].dt.utcoffset() == dt.timedelta(0)
    assert event["DTEND"].dt == coming.ends_at.replace(microsecond=0)
    assert str(event["SUMMARY"]) == "Bäume pflanzen"
    assert str(event["URL"]) == site_url("opportunities:detail", opportunity_id=offer.id)
    assert "Stadtpark" in str(event["LOCATION"]) and "04109" in str(event["LOCATION"])
    description = str(event["DESCRIPTION"])
    assert "Wir pflanzen Bäume." in description
    assert "4 Plätze frei (von 4)" in description
    assert "Stadtverwaltung Feedhausen" in description
    assert "ausgebucht – Warteliste möglich" in str(events[date_uid(later.id)]["DESCRIPTION"])
    assert "Entwurf" not in response.text and "SUMMARY:Zu" not in response.text


async def test_the_feed_shares_the_uid_of_the_downloaded_date(client) -> None:
    """A date downloaded on the offer page and the same date in a subscribed feed are one entry."""
    offer = await make_opportunity(await make_organisation())
    date = await make_session(offer)

    single = events_of((await client.get(f"/termine/{date.id}/kalender.ics")).text)
    feed = events_of((await client.get(FEED)).text)

    assert set(single) == {date_uid(date.id)}
    assert date_uid(date.id) in feed


async def test_filters_work_as_on_the_list(client) -> None:
    club = await make_organisation("Sportverein")
    other = await make_organisation("Kulturverein")
    green = await make_opportunity(club, field="environment", title="Grün")
    youth = await make_opportunity(club, field="youth", mode=Mode.CO_DESIGN, title="Jugend")
    online = await make_opportunity(
        other, field="culture", title="Online", is_online=True, postcode=""
    )
    far = await make_opportunity(other, field="culture", title="Weit weg", postcode="20095")
    green_date = await make_session(green, starts_in=dt.timedelta(days=2))
    youth_date = await make_session(youth, starts_in=dt.timedelta(days=20))
    online_date = await make_session(online, starts_in=dt.timedelta(days=4))
    far_date = await make_session(far, starts_in=dt.timedelta(days=5))

    async def uids(url: str) -> set[str]:
        response = await client.get(url)
        assert response.status_code == 200, response.text
        return set(events_of(response.text))

    assert await uids(f"{FEED}?field=environment") == {date_uid(green_date.id)}
    assert await uids(f"{FEED}?mode=co_design") == {date_uid(youth_date.id)}
    assert await uids(f"{FEED}?online=on") == {date_uid(online_date.id)}
    near = await uids(f"{FEED}?postcode=04109&km=20")
    assert near == {date_uid(green_date.id), date_uid(youth_date.id), date_uid(online_date.id)}
    assert date_uid(far_date.id) not in near
    in_ten_days = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    assert date_uid(youth_date.id) not in await uids(f"{FEED}?to={in_ten_days}")
    assert await uids(f"/organisationen/{club.id}/kalender.ics") == {
        date_uid(green_date.id),
        date_uid(youth_date.id),
    }
    assert await uids(f"/organisationen/{club.id}/kalender.ics?field=youth") == {
        date_uid(youth_date.id)
    }


async def test_the_organisation_feed_names_it_and_never_shows_drafts(client) -> None:
    club = await make_organisation("Tauschring Nord")
    draft = await make_opportunity(club, status=OpportunityStatus.DRAFT, title="Geheim")
    await make_session(draft)

    response = await client.get(f"/organisationen/{club.id}/kalender.ics")

    assert response.status_code == 200
    calendar = Calendar.from_ical(response.text)
    assert "Tauschring Nord" in str(calendar["X-WR-CALNAME"])
    assert calendar.walk("VEVENT") == []
    assert (await client.get("/organisationen/999999/kalender.ics")).status_code == 404


async def test_bad_filters_are_a_400_that_says_why(client) -> None:
    for query in (
        "field=gibt-es-nicht",
        "from=morgen",
        "from=2026-12-10&to=2026-12-01",
        "postcode=abc",
        "mode=%00",
        "barrierefrei=fliegen",
    ):
        response = await client.get(f"{FEED}?{query}")
        assert response.status_code == 400, query
        assert response.headers["content-type"].startswith("text/plain")
        assert "mit diesen Filtern nicht erstellt werden" in response.text
        assert len(response.text.strip().splitlines()) >= 2, query
    response = await client.get(f"{FEED}?field=gibt-es-nicht")
    assert "„Handlungsfeld“" in response.text


async def test_a_repeated_request_gets_304_and_head_works(client) -> None:
    offer = await make_opportunity(await make_organisation())
    await make_session(offer)

    first = await client.get(FEED)
    again = await client.get(FEED, headers={"If-None-Match": first.headers["etag"]})
    head = await client.head(FEED)

    assert first.headers["cache-control"].startswith("public")
    assert again.status_code == 304 and again.content == b""
    assert head.status_code == 200 and head.headers["etag"] == first.headers["etag"]


async def test_the_number_of_queries_does_not_grow_with_the_dates(client, count_queries) -> None:
    club = await make_organisation()
    offer = await make_opportunity(club)
    await make_session(offer)
    await client.get(FEED)  # warm: the taxonomy, the route table
    with count_queries() as few:
        small = await client.get(f"{FEED}?field=environment")
    for index in range(8):
        more = await make_opportunity(club, title=f"Mehr {index}")
        for days in (2, 9):
            await make_session(more, starts_in=dt.timedelta(days=days))
    with count_queries() as many:
        large = await client.get(f"{FEED}?field=environment")

    assert len(events_of(small.text)) == 1 and len(events_of(large.text)) == 17
    assert many.count == few.count <= 3


# Values a careless link or a probing client may send for any filter.
ODD_VALUES = ("", " ", "\x00", "%", "-1", "0", "9" * 30, "2026-02-30", "<b>", "ü" * 300, "a\nb")


async def test_no_filter_value_makes_a_feed_fail(client) -> None:
    """Whatever a parameter holds, every feed answers 200 or a 400 with its reasons."""
    club = await make_organisation()
    await make_session(await make_opportunity(club))

    for path in (FEED, "/angebote/feed.atom", f"/organisationen/{club.id}/kalender.ics"):
        for name in (*FILTER_NAMES, "page"):
            for value in ODD_VALUES:
                response = await client.get(path, params={name: value})
                assert response.status_code in (200, 400), (path, name, value)
                if response.status_code == 400:
                    assert "mit diesen Filtern nicht erstellt werden" in response.text


async def test_a_taken_place_shows_at_the_next_fetch(client) -> None:
    """The rendered calendar is kept per process; any change of a date is a new file."""
    offer = await make_opportunity(await make_organisation())
    date = await make_session(offer, capacity=4)
    first = await client.get(FEED)
    await OpportunitySession.update({OpportunitySession.seats_taken: 1}).where(
        OpportunitySession.id == date.id
    )

    second = await client.get(FEED)

    assert "4 Plätze frei" in str(events_of(first.text)[date_uid(date.id)]["DESCRIPTION"])
    assert "3 Plätze frei" in str(events_of(second.text)[date_uid(date.id)]["DESCRIPTION"])
    assert second.headers["etag"] != first.headers["etag"]
