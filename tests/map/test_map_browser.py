"""The map in Chromium, with tiles from a tile server on loopback: markers carry the list
entries' words and are reached by Tab, one link skips them, axe finds nothing, 320 px fit.

The session's live server runs without a tile server (as every install does by default), so
this module starts one app server of its own with MAP_TILE_URL pointing at a tiny tile
server on 127.0.0.1; it shares the test database like the session's server."""

from __future__ import annotations

import base64
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from playwright.async_api import Browser, Page, expect

from tests.browser.conftest import (  # noqa: F401 - `browser` is a fixture
    assert_accessible,
    assert_fits_the_screen,
    browser,
)
from tests.support.factories import make_opportunity, make_organisation, make_session
from tests.support.services import free_port

pytestmark = pytest.mark.browser

# A 1 × 1 grey PNG: Leaflet stretches each tile image to 256 px.
TILE_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGO4BwAA6gDpNDeFbgAAAABJRU5ErkJggg=="
)
SERVER_START_SECONDS = 180


class TileServer(ThreadingHTTPServer):
    requested: list[str]
    referers: list[str]


class TileHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.server.requested.append(self.path)  # type: ignore[attr-defined]
        self.server.referers.append(self.headers.get("Referer", ""))  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(TILE_PNG)))
        self.end_headers()
        self.wfile.write(TILE_PNG)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def tile_server() -> Iterator[TileServer]:
    server = TileServer(("127.0.0.1", free_port()), TileHandler)
    server.requested, server.referers = [], []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def map_server(database: None, tile_server: TileServer) -> Iterator[str]:
    """The app with a tile server configured, in its own process (settings are read once)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    tiles = f"http://127.0.0.1:{tile_server.server_port}/{{z}}/{{x}}/{{y}}.png"
    env = {
        **os.environ,
        "BASE_URL": url,
        "MAP_TILE_URL": tiles,
        "MAP_ATTRIBUTION": "© Testkacheln Lindenau",
    }
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(
            [sys.executable, "-m", "boerse.cli", "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
        deadline = time.monotonic() + SERVER_START_SECONDS
        while True:
            try:
                urllib.request.urlopen(f"{url}/impressum", timeout=1)  # noqa: S310 - loopback
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    errors.seek(0)
                    pytest.fail(f"the map's app server did not start: {errors.read()[-2000:]!r}")
                time.sleep(0.2)
        yield url
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
async def map_page(browser: Browser, map_server: str) -> AsyncIterator[Page]:  # noqa: F811
    context = await browser.new_context(locale="de-DE", base_url=map_server)
    context.set_default_timeout(10_000)
    page = await context.new_page()
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).hostname or ""))
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.hosts, page.refused = hosts, refused  # type: ignore[attr-defined]
    yield page
    await context.close()


async def seed_town() -> dict[str, int]:
    """Two offers in one postcode area (one point), one in another, one only online."""
    organisation = await make_organisation("Bürgerverein Lindenau")
    ids = {}
    for title, postcode in [
        ("Beete anlegen", "04178"),
        ("Bänke streichen", "04178"),
        ("Parkpflege", "04177"),
    ]:
        offer = await make_opportunity(organisation, title=title, postcode=postcode)
        await make_session(offer)
        ids[title] = offer.id
    online = await make_opportunity(
        organisation, title="Texte übersetzen", postcode="", is_online=True
    )
    ids["online"] = online.id
    return ids


def marker(page: Page, title: str):
    return page.locator(".offer-map").get_by_role("link", name=title)


async def test_the_list_map_shows_the_entries_skips_and_passes_axe(
    map_page: Page, tile_server: TileServer
) -> None:
    page = map_page
    ids = await seed_town()
    await page.goto("/angebote")
    await expect(page.locator(".offer-map__marker")).to_have_count(3)
    await expect(page.locator(".offer-map__canvas")).to_be_visible()
    await expect(page.get_by_text("Kartengrundlage: © Testkacheln Lindenau")).to_be_visible()

    # Each marker's name is its list entry's words: title, organisation, place, next date.
    for title in ("Beete anlegen", "Bänke streichen", "Parkpflege"):
        card = page.locator("article.opportunity-card").filter(
            has=page.get_by_role("heading", name=title)
        )
        place = (await card.locator("dt:text-is('Ort') + dd").inner_text()).strip()
        when = (await card.locator("dt:text-is('Nächster Termin') + dd").inner_text()).strip()
        name = await marker(page, title).text_content()
        for words in (title, "Anbieter: Bürgerverein Lindenau", f"Ort: {place}", when):
            assert words in name, (words, name)
    await expect(page.locator(".offer-map").get_by_text("Texte übersetzen")).to_have_count(0)

    # Two offers at one point are two pins side by side, not one hiding the other.
    first = await marker(page, "Beete anlegen").bounding_box()
    second = await marker(page, "Bänke streichen").bounding_box()
    assert first and second and (first["x"], first["y"]) != (second["x"], second["y"])

    # Tiles came from the configured server; nothing was asked of any other host.
    await expect(page.locator("img.leaflet-tile-loaded").first).to_be_attached()
    assert tile_server.requested and all(path.endswith(".png") for path in tile_server.requested)
    # The tile server never learns which page was open (the privacy notice says so).
    assert set(tile_server.referers) == {""}
    assert page.hosts == {"127.0.0.1"}, page.hosts  # type: ignore[attr-defined]
    assert page.refused == []  # type: ignore[attr-defined]
    await assert_accessible(page)

    # Keyboard: the skip link leads past the map to the list ...
    skip = page.get_by_role("link", name="Karte überspringen")
    await skip.focus()
    await page.keyboard.press("Enter")
    await expect(page.locator("#angebotsliste")).to_be_focused()
    await page.keyboard.press("Tab")
    await expect(page.get_by_role("link", name="Beete anlegen").last).to_be_focused()
    # ... and without it Tab reaches the markers, which show their text and lead to the offer.
    await skip.focus()
    await page.keyboard.press("Tab")  # the map itself (arrow keys move it)
    await expect(page.locator(".offer-map__canvas")).to_be_focused()
    for _ in range(4):
        await page.keyboard.press("Tab")
        focused = await page.evaluate("document.activeElement.className")
        if "offer-map__marker" in focused:
            break
    else:
        pytest.fail("no marker reached by Tab")
    focused_marker = page.locator(".offer-map__marker:focus")
    await expect(focused_marker.locator(".offer-map__label")).to_be_visible()
    href = await focused_marker.get_attribute("href")
    assert href in {f"/angebote/{ids[title]}" for title in ("Beete anlegen", "Bänke streichen")}
    # Zoomed in close, a pin reached by Tab outside the shown area is brought into view.
    zoom_in = page.get_by_role("button", name="Karte vergrößern")
    while await zoom_in.get_attribute("aria-disabled") != "true":  # up to MAP_MAX_ZOOM
        await zoom_in.click()
        await page.wait_for_timeout(300)
    await page.get_by_role("link", name="Karte überspringen").focus()
    await page.keyboard.press("Tab")
    for _ in range(3):
        await page.keyboard.press("Tab")
        await page.wait_for_timeout(400)  # the pan's animation
        pin = await page.locator(".offer-map__marker:focus").bounding_box()
        canvas = await page.locator(".offer-map__canvas").bounding_box()
        assert pin and canvas
        assert canvas["x"] <= pin["x"] <= canvas["x"] + canvas["width"] - pin["width"]
        assert canvas["y"] <= pin["y"] <= canvas["y"] + canvas["height"] - pin["height"]
    await page.keyboard.press("Enter")
    await expect(page).to_have_url(re.compile(r"/angebote/\d+$"))


async def test_the_detail_map_and_a_phone_screen(browser: Browser, map_server: str) -> None:  # noqa: F811
    ids = await seed_town()
    context = await browser.new_context(
        locale="de-DE", base_url=map_server, viewport={"width": 320, "height": 640}
    )
    context.set_default_timeout(10_000)
    page = await context.new_page()
    try:
        await page.goto("/angebote")
        await expect(page.locator(".offer-map__marker")).to_have_count(3)
        await assert_fits_the_screen(page)
        await assert_accessible(page)
        await page.goto(f"/angebote/{ids['Parkpflege']}")
        await expect(page.locator(".offer-map__marker")).to_have_count(1)
        await expect(marker(page, "Parkpflege")).to_have_attribute(
            "href", f"/angebote/{ids['Parkpflege']}"
        )
        await assert_fits_the_screen(page)
        await assert_accessible(page)
        await page.get_by_role("link", name="Karte überspringen").click()
        await expect(page.get_by_role("heading", name="Termine")).to_be_focused()
    finally:
        await context.close()


async def test_without_javascript_nothing_of_the_map_shows(
    browser: Browser,  # noqa: F811
    map_server: str,
) -> None:
    await seed_town()
    context = await browser.new_context(
        locale="de-DE", base_url=map_server, java_script_enabled=False
    )
    page = await context.new_page()
    try:
        await page.goto("/angebote")
        await expect(page.get_by_role("heading", name="Beete anlegen")).to_be_visible()
        await expect(page.locator(".offer-map")).to_be_hidden()
        await expect(page.get_by_text("Karte überspringen")).to_be_hidden()
    finally:
        await context.close()
