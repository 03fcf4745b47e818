"""Structured data and sharing tags: the JSON-LD on an offer's page is valid JSON with an
Event per coming date, user text cannot break out of its script element, and the list, start
and organisation pages link their feeds and carry OpenGraph tags."""

from __future__ import annotations

import datetime as dt
import json
import re
from html.parser import HTMLParser

from boerse.lib.urls import site_url
from boerse.opportunities.tables import Opportunity, OpportunityStatus
from tests.support.factories import (
    make_officer,
    make_opportunity,
    make_organisation,
    make_session,
    sign_in,
)

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


class HeadTags(HTMLParser):
    """The page's <meta> and <link> tags and its script elements, as a browser parses them."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: list[dict[str, str]] = []
        self.scripts: list[dict[str, str]] = []
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "meta" and ("property" in values or "name" in values):
            self.meta[values.get("property") or values["name"]] = values.get("content", "")
        elif tag == "link":
            self.links.append(values)
        elif tag == "script":
            self.scripts.append(values)


def graph_of(page: str) -> list[dict]:
    blocks = JSON_LD.findall(page)
    assert len(blocks) == 1
    return json.loads(blocks[0])["@graph"]


async def test_the_offer_page_describes_each_coming_date_as_an_event(client) -> None:
    club = await make_organisation("Gartenfreunde", website="https://garten.example")
    offer = await make_opportunity(
        club, title="Gemeinschaftsgarten", summary="Beete anlegen", address="Parkstraße 3"
    )
    first = await make_session(offer, starts_in=dt.timedelta(days=2), capacity=3, seats_taken=1)
    full = await make_session(offer, starts_in=dt.timedelta(days=9), capacity=2, seats_taken=2)
    await make_session(offer, starts_in=dt.timedelta(days=-3))  # past: no event

    response = await client.get(f"/angebote/{offer.id}")

    assert response.status_code == 200
    graph = graph_of(response.text)
    series, *events = graph
    url = site_url("opportunities:detail", opportunity_id=offer.id)
    assert series["@type"] == "EventSeries" and series["name"] == "Gemeinschaftsgarten"
    assert series["url"] == url
    assert [event["@type"] for event in events] == ["Event", "Event"]
    event, sold_out = events
    assert dt.datetime.fromisoformat(event["startDate"]) == first.starts_at.replace(microsecond=0)
    assert dt.datetime.fromisoformat(event["startDate"]).utcoffset() in (
        dt.timedelta(hours=1),
        dt.timedelta(hours=2),
    )
    assert dt.datetime.fromisoformat(event["endDate"]) == first.ends_at.replace(microsecond=0)
    assert event["eventStatus"] == "https://schema.org/EventScheduled"
    assert event["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert event["location"]["@type"] == "Place"
    assert event["location"]["address"]["postalCode"] == "04109"
    assert event["location"]["address"]["streetAddress"] == "Parkstraße 3"
    assert event["location"]["geo"]["latitude"] == offer.latitude
    assert event["organizer"] == {
        "@type": "Organization",
        "name": "Gartenfreunde",
        "url": site_url("organisations:public", organisation_id=club.id),
        "sameAs": "https://garten.example",
    }
    assert event["offers"]["availability"] == "https://schema.org/InStock"
    assert event["remainingAttendeeCapacity"] == 2
    assert sold_out["offers"]["availability"] == "https://schema.org/SoldOut"
    assert sold_out["@id"] == f"{url}#termin-{full.id}"
    assert event["url"] == url and event["superEvent"] == {"@id": series["@id"]}


async def test_an_online_offer_has_a_virtual_location(client) -> None:
    offer = await make_opportunity(await make_organisation(), is_online=True, postcode="")
    await make_session(offer)

    (series, event) = graph_of((await client.get(f"/angebote/{offer.id}")).text)

    assert event["location"] == {
        "@type": "VirtualLocation",
        "url": site_url("opportunities:detail", opportunity_id=offer.id),
    }
    assert event["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert series["location"]["@type"] == "VirtualLocation"


async def test_a_closed_offer_tells_its_dates_are_cancelled(client) -> None:
    """Only its organisation sees a closed offer's page; its data says the dates are off."""
    club = await make_organisation()
    offer = await make_opportunity(club, status=OpportunityStatus.CLOSED)
    await make_session(offer)
    await sign_in(client, await make_officer(club))

    (_series, event) = graph_of((await client.get(f"/angebote/{offer.id}")).text)

    assert event["eventStatus"] == "https://schema.org/EventCancelled"


async def test_user_text_cannot_leave_the_script_element(client) -> None:
    title = '</script><script>alert("x")</script><!-- & -->'
    offer = await make_opportunity(await make_organisation(), title=title, summary="<b>fett</b>")
    await make_session(offer)

    page = (await client.get(f"/angebote/{offer.id}")).text

    tags = HeadTags(page)
    assert all(
        script.get("src") or script.get("type") == "application/ld+json" for script in tags.scripts
    )
    assert [s.get("type") for s in tags.scripts].count("application/ld+json") == 1
    series, event = graph_of(page)
    assert series["name"] == title and event["name"] == title
    assert series["description"] == "<b>fett</b>"
    assert "<script>alert" not in page
    assert tags.meta["og:title"] == title


async def test_the_offer_page_has_opengraph_tags_with_the_logo(client) -> None:
    club = await make_organisation("Lesefreunde")
    offer = await make_opportunity(club, title="Vorlesen", summary="In der Bücherei vorlesen")
    await make_session(offer)

    without_logo = HeadTags((await client.get(f"/angebote/{offer.id}")).text).meta
    await club.update_self({"logo": b"\x89PNG fake", "logo_type": "image/png"})
    with_logo = HeadTags((await client.get(f"/angebote/{offer.id}")).text).meta

    url = site_url("opportunities:detail", opportunity_id=offer.id)
    assert without_logo["og:title"] == "Vorlesen"
    assert without_logo["og:description"] == "In der Bücherei vorlesen"
    assert without_logo["og:url"] == url
    assert without_logo["og:locale"] == "de_DE"
    assert without_logo["og:site_name"].startswith("Mitmach-Börse")
    assert without_logo["twitter:card"] == "summary"
    assert "og:image" not in without_logo
    assert with_logo["og:image"].startswith(
        site_url("organisations:public", organisation_id=club.id)
    )
    assert with_logo["og:image:alt"] == "Logo von Lesefreunde"


async def test_the_list_links_its_feeds_with_the_current_filters(client) -> None:
    page = (await client.get("/angebote?field=environment&online=on&page=2")).text

    tags = HeadTags(page)
    alternates = {
        link["type"]: link["href"] for link in tags.links if link.get("rel") == "alternate"
    }
    query = "?field=environment&online=on"
    assert alternates["application/atom+xml"] == site_url("feeds:atom") + query
    assert alternates["text/calendar"] == site_url("feeds:calendar") + query
    assert tags.meta["og:url"] == site_url("opportunities:list") + query
    webcal = (
        site_url("feeds:calendar").replace("http://", "webcal://").replace("https://", "webcal://")
    )
    assert f'href="{webcal}{query.replace("&", "&amp;")}"' in page
    assert "Kalender abonnieren" in page and "Feed neuer Angebote (Atom)" in page


async def test_start_and_organisation_pages_have_sharing_tags_and_feeds(client) -> None:
    club = await make_organisation("Seniorenbeirat", description="Wir vertreten Ältere.")

    home = HeadTags((await client.get("/")).text)
    organisation_page = await client.get(f"/organisationen/{club.id}")
    organisation = HeadTags(organisation_page.text)

    assert home.meta["og:url"] == site_url("home")
    assert any(link.get("type") == "application/atom+xml" for link in home.links)
    assert organisation.meta["og:title"] == "Seniorenbeirat"
    assert organisation.meta["og:description"] == "Wir vertreten Ältere."
    calendar = site_url("feeds:organisation_calendar", organisation_id=club.id)
    assert {
        "rel": "alternate",
        "type": "text/calendar",
        "title": "Termine (Kalender)",
        "href": calendar,
    } in organisation.links
    assert "Kalender abonnieren" in organisation_page.text


async def test_feed_links_and_structured_data_add_no_query_per_date(client, count_queries) -> None:
    offer = await make_opportunity(await make_organisation())
    await make_session(offer)
    await client.get(f"/angebote/{offer.id}")
    with count_queries() as one:
        await client.get(f"/angebote/{offer.id}")
    for days in range(2, 12):
        await make_session(offer, starts_in=dt.timedelta(days=days))
    with count_queries() as eleven:
        page = (await client.get(f"/angebote/{offer.id}")).text

    assert len(graph_of(page)) == 12
    assert eleven.count == one.count
    assert await Opportunity.count() == 1
