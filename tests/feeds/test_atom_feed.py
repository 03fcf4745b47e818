"""The Atom feed of new offers, validated against RFC 4287's own RELAX NG schema."""

from __future__ import annotations

import datetime as dt
from email.utils import format_datetime
from functools import cache
from pathlib import Path

import rnc2rng
from lxml import etree

from boerse.lib.db import utcnow
from boerse.lib.urls import site_url
from boerse.opportunities.tables import Opportunity, OpportunityStatus
from tests.support.factories import make_opportunity, make_organisation, make_session

FEED = "/angebote/feed.atom"
ATOM = {"a": "http://www.w3.org/2005/Atom"}


@cache
def atom_schema() -> etree.RelaxNG:
    """RFC 4287, Appendix B, through rnc2rng (which declares the empty `local` prefix that
    libxml2 refuses; the schema names that namespace as ns="" anyway)."""
    compact = (Path(__file__).parent / "atom.rnc").read_text()
    grammar = rnc2rng.dumps(rnc2rng.loads(compact)).replace('xmlns:local=""', "")
    return etree.RelaxNG(etree.fromstring(grammar.encode()))


def valid_feed(body: bytes) -> etree._Element:
    """The parsed feed after the schema and the two Schematron rules of the RFC's schema
    (an author for every entry, an alternate link for every entry)."""
    document = etree.fromstring(body)
    schema = atom_schema()
    assert schema.validate(document), schema.error_log
    for entry in document.findall("a:entry", ATOM):
        assert entry.find("a:author", ATOM) is not None or document.find("a:author", ATOM)
        assert alternate(entry)
    return document


def alternate(element: etree._Element) -> str:
    """The address of the alternate link (rel="alternate", the default when rel is left out)."""
    links = [
        link
        for link in element.findall("a:link", ATOM)
        if link.get("rel", "alternate") == "alternate"
    ]
    return links[0].get("href") if links else ""


def titles(document: etree._Element) -> list[str]:
    return [
        entry.findtext("a:title", namespaces=ATOM) for entry in document.findall("a:entry", ATOM)
    ]


async def published(organisation, title: str, days_ago: int, **fields) -> Opportunity:
    offer = await make_opportunity(organisation, title=title, **fields)
    await Opportunity.update(
        {Opportunity.published_at: utcnow() - dt.timedelta(days=days_ago)}
    ).where(Opportunity.id == offer.id)
    await make_session(offer)
    return offer


async def test_the_feed_is_valid_atom_with_the_newest_offers_first(client) -> None:
    club = await make_organisation("Nachbarschaftshilfe Süd")
    older = await published(club, "Einkaufshilfe", days_ago=5, summary="Für Ältere einkaufen")
    newer = await published(club, "Leseclub <für> Kinder & Eltern", days_ago=1)
    draft = await make_opportunity(club, status=OpportunityStatus.DRAFT, title="Entwurf")
    await make_session(draft)

    response = await client.get(FEED)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    assert "set-cookie" not in response.headers
    feed = valid_feed(response.content)
    assert titles(feed) == ["Leseclub <für> Kinder & Eltern", "Einkaufshilfe"]
    entry = feed.find("a:entry", ATOM)
    url = site_url("opportunities:detail", opportunity_id=newer.id)
    assert entry.findtext("a:id", namespaces=ATOM) == url
    assert alternate(entry) == url
    assert entry.findtext("a:author/a:name", namespaces=ATOM) == "Nachbarschaftshilfe Süd"
    second = feed.findall("a:entry", ATOM)[1]
    assert second.findtext("a:summary", namespaces=ATOM) == "Für Ältere einkaufen"
    assert second.findtext("a:id", namespaces=ATOM) == site_url(
        "opportunities:detail", opportunity_id=older.id
    )
    self_link = feed.find("a:link[@rel='self']", ATOM).get("href")
    assert self_link == site_url("feeds:atom")
    assert alternate(feed) == site_url("opportunities:list")
    assert "Entwurf" not in response.text


async def test_filters_narrow_the_feed_and_show_in_its_addresses(client) -> None:
    club = await make_organisation("Umweltgruppe")
    other = await make_organisation("Jugendtreff")
    await published(club, "Bachpatenschaft", days_ago=2, field="environment")
    await published(other, "Jugendrat", days_ago=1, field="youth")

    response = await client.get(f"{FEED}?field=environment&sort=newest")
    by_organisation = await client.get(f"/organisationen/{other.id}/feed.atom")

    feed = valid_feed(response.content)
    assert titles(feed) == ["Bachpatenschaft"]
    assert feed.find("a:link[@rel='self']", ATOM).get("href") == (
        site_url("feeds:atom") + "?field=environment&sort=newest"
    )
    assert "Umwelt und Klima" in feed.findtext("a:title", namespaces=ATOM)
    organisation_feed = valid_feed(by_organisation.content)
    assert titles(organisation_feed) == ["Jugendrat"]
    assert alternate(organisation_feed) == site_url(
        "organisations:public", organisation_id=other.id
    )


async def test_an_empty_feed_is_valid_and_bad_filters_are_400(client) -> None:
    empty = await client.get(FEED)
    bad = await client.get(f"{FEED}?skill=zaubern&km=zehn&postcode=04109")

    assert titles(valid_feed(empty.content)) == []
    assert bad.status_code == 400
    assert "„Fähigkeit“" in bad.text


async def test_text_the_xml_cannot_carry_is_left_out_rather_than_failing(client) -> None:
    club = await make_organisation()
    await published(club, "Tabelle\x0bmit Steuerzeichen", days_ago=1)

    response = await client.get(FEED)

    assert response.status_code == 200
    assert titles(valid_feed(response.content)) == ["Tabellemit Steuerzeichen"]


async def test_etag_and_last_modified_answer_304(client) -> None:
    club = await make_organisation()
    await published(club, "Repair-Café", days_ago=3)

    first = await client.get(FEED)
    by_etag = await client.get(FEED, headers={"If-None-Match": first.headers["etag"]})
    by_date = await client.get(FEED, headers={"If-Modified-Since": first.headers["last-modified"]})
    earlier = format_datetime(utcnow() - dt.timedelta(days=30), usegmt=True)
    changed = await client.get(FEED, headers={"If-Modified-Since": earlier})

    assert by_etag.status_code == 304 and by_date.status_code == 304
    assert changed.status_code == 200 and changed.content == first.content


async def test_the_number_of_queries_does_not_grow_with_the_offers(client, count_queries) -> None:
    club = await make_organisation()
    await published(club, "Erstes", days_ago=1)
    await client.get(FEED)
    with count_queries() as few:
        small = await client.get(FEED)
    for index in range(10):
        await published(club, f"Weiteres {index}", days_ago=2)
    with count_queries() as many:
        large = await client.get(FEED)

    assert len(titles(valid_feed(small.content))) == 1
    assert len(titles(valid_feed(large.content))) == 11
    assert many.count == few.count <= 5
