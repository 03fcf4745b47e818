"""The embeddable widget in headless Chromium, framed by a page from another origin.

The host page is served by a tiny HTTP server of its own on another port of 127.0.0.1: a
different port is a different origin, so Chromium applies the widget's `frame-ancestors`
exactly as it would on a town's website."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.async_api import Browser, Page, expect

from boerse.accounts.auth import SESSION_COOKIE
from boerse.accounts.sessions import start_session
from boerse.accounts.tables import Role
from boerse.widget import services
from tests.browser.conftest import assert_accessible, assert_fits_the_screen
from tests.support.factories import make_opportunity, make_organisation, make_session, make_user
from tests.support.services import free_port

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}


class HostSite:
    """A static website on its own origin whose one page embeds the widget."""

    def __init__(self, widget_url: str) -> None:
        page = (
            "<!DOCTYPE html><html lang='de'><head><meta charset='utf-8'>"
            "<title>Verein Lindenau</title></head><body><h1>Verein Lindenau</h1>"
            f"<iframe src='{widget_url}' title='Angebote der Mitmach-Börse' loading='lazy'"
            " width='100%' height='600'></iframe></body></html>"
        ).encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)

            def log_message(self, *args: object) -> None:
                """Quiet: the test output is no access log."""

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def host_site(live_server: str) -> Iterator[HostSite]:
    site = HostSite(f"{live_server}/einbetten/angebote?count=3")
    yield site
    site.close()


@pytest.fixture
async def host_page(browser: Browser) -> AsyncIterator[Page]:
    """A fresh browser context per test: no cached widget answer from another test."""
    context = await browser.new_context(locale="de-DE")
    context.set_default_timeout(10_000)
    yield await context.new_page()
    await context.close()


async def test_an_allowed_website_shows_the_offers_and_links_open_in_the_whole_window(
    host_page: Page, host_site: HostSite, live_server: str
) -> None:
    offer = await make_opportunity(await make_organisation(), title="Bänke streichen im Park")
    await make_session(offer)
    await services.add_host(host_site.origin)

    await host_page.goto(host_site.origin)
    frame = host_page.frame_locator("iframe")
    link = frame.get_by_role("link", name="Bänke streichen im Park")
    await expect(link).to_be_visible()

    await link.click()
    await host_page.wait_for_url(f"{live_server}/angebote/{offer.id}")
    await expect(
        host_page.get_by_role("heading", name="Bänke streichen im Park", level=1)
    ).to_be_visible()


async def test_a_website_not_listed_is_refused_by_the_browser(
    host_page: Page, host_site: HostSite
) -> None:
    await make_session(await make_opportunity(await make_organisation(), title="Nur für Erlaubte"))
    await services.add_host("https://www.lindenau.de")
    refused = asyncio.get_running_loop().create_future()

    def watch(message) -> None:
        if "frame-ancestors" in message.text and not refused.done():
            refused.set_result(message.text)

    host_page.on("console", watch)
    await host_page.goto(host_site.origin)

    report = await asyncio.wait_for(refused, timeout=10)
    assert host_site.origin in report or "ancestor" in report
    await expect(host_page.get_by_role("heading", name="Verein Lindenau")).to_be_visible()
    assert "Nur für Erlaubte" not in await host_page.frames[-1].content()


async def test_the_widget_is_accessible_and_fits_a_phone(page: Page) -> None:
    club = await make_organisation("Sportverein Lindenau")
    for title in ("Jugendtraining begleiten", "Vereinsfest aufbauen"):
        await make_session(await make_opportunity(club, title=title, postcode="04177"))
    await page.set_viewport_size(NARROW)

    await page.goto(f"/einbetten/angebote?organisation={club.id}&postcode=04109&km=25")
    await expect(page.get_by_role("link", name="Vereinsfest aufbauen")).to_be_visible()
    await assert_fits_the_screen(page)
    await assert_accessible(page)

    await page.goto("/einbetten/angebote?field=unbekannt")
    await expect(page.get_by_role("alert")).to_contain_text("Handlungsfeld")
    await assert_fits_the_screen(page)
    await assert_accessible(page)


async def test_admin_allows_a_website_and_builds_the_snippet_on_a_phone(
    page: Page, live_server: str
) -> None:
    admin = await make_user(role=Role.ADMIN)
    await make_session(await make_opportunity(await make_organisation(), title="Vorschau-Angebot"))
    await page.context.add_cookies(
        [{"name": SESSION_COOKIE, "value": await start_session(admin.id), "url": live_server}]
    )
    await page.set_viewport_size(NARROW)

    await page.goto("/admin/einbetten/")
    await page.get_by_label("Adresse der Website").fill("https://www.lindenau.de/engagement")
    await page.get_by_role("button", name="Website erlauben").click()
    await expect(page.get_by_role("alert").first).to_contain_text("ohne Pfad")
    await expect(page.get_by_label("Adresse der Website")).to_have_value(
        "https://www.lindenau.de/engagement"
    )
    await assert_fits_the_screen(page)
    await assert_accessible(page)
    await page.get_by_label("Adresse der Website").fill("https://www.lindenau.de")
    await page.get_by_role("button", name="Website erlauben").click()
    await expect(page.get_by_text("https://www.lindenau.de", exact=True)).to_be_visible()
    await assert_accessible(page)

    await page.get_by_role("link", name="Einbettungscode erstellen").click()
    await page.get_by_label("Anzahl der Angebote").select_option("3")
    await page.get_by_role("button", name="Code erstellen").click()
    await expect(page.get_by_label("HTML-Code")).to_have_value(
        f'<iframe src="{live_server}/einbetten/angebote?count=3" title="Angebote zum Mitmachen'
        ' – Mitmach-Börse Lindenau" loading="lazy" width="100%" height="600"></iframe>'
    )
    preview = page.frame_locator("iframe.widget-preview")
    await expect(preview.get_by_role("link", name="Vorschau-Angebot")).to_be_visible()
    await assert_fits_the_screen(page)
    await assert_accessible(page)
