"""The map of opportunities on the list and detail pages: only with a configured tile server,
then with exactly that host in the policy and the list entries' words on its markers."""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from boerse.lib.db import utcnow
from boerse.lib.formatting import TOWN_TIMEZONE
from boerse.lib.headers import CONTENT_SECURITY_POLICY, content_security_policy
from boerse.lib.templating import environment
from boerse.settings import Settings, SettingsError, get_settings
from tests.partners.helpers import API, OFFER, bearer, issue
from tests.support.factories import make_opportunity, make_organisation, make_session

TILES = "https://tiles.lindenau.example/karte/{z}/{x}/{y}.png"
ATTRIBUTION = "© Stadt Lindenau & Partner"
MAP_ENV = {"MAP_TILE_URL": TILES, "MAP_ATTRIBUTION": ATTRIBUTION, "MAP_MAX_ZOOM": "17"}
MARKERS = re.compile(r"data-markers='([^']*)'")
LOADED_FROM_ELSEWHERE = re.compile(
    r"<(?:script|img|iframe|source|link(?![^>]*rel=\"alternate\"))\b[^>]*\s(?:src|href)="
    r"[\"']?((?:https?:)?//[^\"'\s>]*)",
    re.IGNORECASE,
)


def img_sources(policy: str) -> list[str]:
    directives = dict(d.split(" ", 1) for d in policy.split("; "))
    return directives["img-src"].split()


def forget_settings() -> None:
    """Settings and the template environment (which holds them) are read once per process."""
    get_settings.cache_clear()
    environment.cache_clear()


@pytest.fixture
def map_settings() -> Iterator[None]:
    previous = {name: os.environ.get(name) for name in MAP_ENV}
    os.environ.update(MAP_ENV)
    forget_settings()
    yield
    for name, value in previous.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    forget_settings()


@pytest.fixture
async def map_client(map_settings: None, database: None) -> AsyncIterator[httpx.AsyncClient]:
    from boerse.app import create_app

    transport = httpx.ASGITransport(app=create_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


async def town() -> dict[str, int]:
    """An offer with a place and a date, one online with a meeting place and no date (listed
    as ongoing), one only online (no place)."""
    organisation = await make_organisation("Gartenfreunde & Co.")
    garden = await make_opportunity(organisation, title="Beete anlegen", postcode="04178")
    await make_session(garden)
    park = await make_opportunity(
        organisation, title="Parkpflege", postcode="04177", is_online=True
    )
    online = await make_opportunity(
        organisation, title="Texte übersetzen", postcode="", is_online=True
    )
    return {"garden": garden.id, "park": park.id, "online": online.id}


def test_the_policy_names_the_tile_host_only_when_configured() -> None:
    assert img_sources(CONTENT_SECURITY_POLICY) == ["'self'", "data:"]
    with_tiles = content_security_policy(tile_origin="https://tiles.lindenau.example")
    assert img_sources(with_tiles) == ["'self'", "data:", "https://tiles.lindenau.example"]
    # Everything else stays as strict as before.
    assert with_tiles.replace(" https://tiles.lindenau.example", "") == CONTENT_SECURITY_POLICY


def test_the_tile_origin_is_scheme_host_and_port(map_settings: None) -> None:
    assert get_settings().map_tile_origin == "https://tiles.lindenau.example"
    os.environ["MAP_TILE_URL"] = "http://127.0.0.1:8765/{z}/{x}/{y}.png"
    assert Settings.from_env().map_tile_origin == "http://127.0.0.1:8765"


@pytest.mark.parametrize(
    ("url", "attribution", "message"),
    [
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "x", "festem Host"),
        ("ftp://tiles.example.org/{z}/{x}/{y}.png", "x", "http(s)-Adresse"),
        ("https://tiles.example.org/{z}/{x}.png", "x", "{z}, {x} und {y}"),
        ("https://tiles.example.org/{z}/{x}/{y}.png", "", "MAP_ATTRIBUTION fehlt"),
    ],
)
def test_an_unusable_map_setting_stops_the_start_with_its_name(
    map_settings: None, url: str, attribution: str, message: str
) -> None:
    os.environ["MAP_TILE_URL"] = url
    os.environ["MAP_ATTRIBUTION"] = attribution
    with pytest.raises(SettingsError, match=re.escape(message)):
        Settings.from_env()


async def test_without_a_tile_server_there_is_no_map_and_no_other_host(client) -> None:
    ids = await town()
    for path in ["/angebote", f"/angebote/{ids['garden']}"]:
        response = await client.get(path)
        assert response.status_code == 200
        assert img_sources(response.headers["content-security-policy"]) == ["'self'", "data:"]
        page = response.text
        assert "Beete anlegen" in page
        for absent in ("data-offer-map", "leaflet", "map.js", "Karte überspringen"):
            assert absent not in page, (path, absent)
        # Nothing the browser loads (scripts, styles, images, frames) comes from another host;
        # a link to a feed (rel="alternate") is only a link.
        assert LOADED_FROM_ELSEWHERE.findall(page) == [], path


async def test_the_list_page_maps_the_offers_with_a_place(map_client) -> None:
    ids = await town()
    response = await map_client.get("/angebote")
    assert img_sources(response.headers["content-security-policy"]) == [
        "'self'",
        "data:",
        "https://tiles.lindenau.example",
    ]
    page = response.text
    assert '<section class="offer-map" aria-labelledby="karte-titel" hidden' in page
    assert f'data-tiles="{TILES}"' in page and 'data-max-zoom="17"' in page
    assert 'href="#angebotsliste">Karte überspringen</a>' in page
    assert 'id="angebotsliste" tabindex="-1"' in page
    assert html.escape(ATTRIBUTION, quote=False) in page  # the attribution as text
    markers = json.loads(html.unescape(MARKERS.search(page).group(1)))
    by_title = {marker["title"]: marker for marker in markers}
    assert set(by_title) == {"Beete anlegen", "Parkpflege"}  # the online offer has no place
    garden = by_title["Beete anlegen"]
    assert garden["url"] == f"/angebote/{ids['garden']}"
    assert isinstance(garden["lat"], float) and isinstance(garden["lon"], float)
    labels = dict(garden["lines"])
    assert set(labels) == {"Anbieter", "Ort", "Nächster Termin"}
    # The same words as the list entry (the organisation's "&" not escaped twice).
    assert labels["Anbieter"] == "Gartenfreunde & Co."
    card = page[page.index(f'id="angebot-{ids["garden"]}"') :]
    for value in labels.values():
        assert html.escape(value, quote=False) in card, value
    assert dict(by_title["Parkpflege"]["lines"])["Nächster Termin"] == (
        "fortlaufend, ohne festen Termin"
    )
    assert "Die Karte zeigt 2 Angebote dieser Seite mit festem Ort" in page


async def test_the_map_follows_the_filters_and_shows_no_box_without_places(map_client) -> None:
    await town()
    page = (await map_client.get("/angebote", params={"online": "on"})).text
    assert "Texte übersetzen" in page
    markers = json.loads(html.unescape(MARKERS.search(page).group(1)))
    assert [marker["title"] for marker in markers] == ["Parkpflege"]
    nothing = (await map_client.get("/angebote", params={"mode": "co_assess"})).text
    assert "Zu diesen Filtern gibt es gerade kein Angebot" in nothing
    assert "data-offer-map" not in nothing and "leaflet" not in nothing


async def test_the_detail_page_maps_its_place_unless_it_is_only_online(map_client) -> None:
    ids = await town()
    page = (await map_client.get(f"/angebote/{ids['garden']}")).text
    (marker,) = json.loads(html.unescape(MARKERS.search(page).group(1)))
    assert marker["title"] == "Beete anlegen" and marker["url"] == f"/angebote/{ids['garden']}"
    assert dict(marker["lines"])["Ort"].startswith("04178")
    assert 'href="#termine">Karte überspringen</a>' in page
    assert 'id="termine" tabindex="-1"' in page
    online = (await map_client.get(f"/angebote/{ids['online']}")).text
    assert "Texte übersetzen" in online
    assert "data-offer-map" not in online and "leaflet" not in online


async def test_the_map_adds_no_query_to_the_list(client, map_client, count_queries) -> None:
    await town()
    for number in range(6):
        offer = await make_opportunity(await make_organisation(), title=f"Angebot {number}")
        await make_session(offer)
    counts = []
    for http in (client, map_client, map_client):
        with count_queries() as counter:
            response = await http.get("/angebote")
        assert response.status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1] == counts[2], counts


async def test_an_offer_a_partner_key_publishes_is_on_the_map(map_client) -> None:
    """Issue 13's done-when, the map's part: a partner's tool creates an offer with two dates
    and publishes it; the list's map and the offer's own map show its place."""
    agency = await make_organisation("Freiwilligenagentur Lindenau")
    headers = bearer((await issue(agency)).key)
    created = await map_client.post(f"{API}/opportunities", json=OFFER, headers=headers)
    assert created.status_code == 201, created.text
    offer_id = created.json()["id"]
    for days in (7, 14):
        day = (utcnow().astimezone(TOWN_TIMEZONE) + dt.timedelta(days=days)).date()
        date = {"date": day.isoformat(), "starts": "10:00", "ends": "12:00", "capacity": 8}
        added = await map_client.post(
            f"{API}/opportunities/{offer_id}/dates", json=date, headers=headers
        )
        assert added.status_code == 201, added.text
    published = await map_client.post(f"{API}/opportunities/{offer_id}/publish", headers=headers)
    assert published.status_code == 200, published.text

    for path in ["/angebote", f"/angebote/{offer_id}"]:
        page = (await map_client.get(path)).text
        markers = json.loads(html.unescape(MARKERS.search(page).group(1)))
        (marker,) = [m for m in markers if m["title"] == OFFER["title"]]
        assert marker["url"] == f"/angebote/{offer_id}"
        assert dict(marker["lines"])["Anbieter"] == "Freiwilligenagentur Lindenau"
