"""The evaluation dashboard in Chromium: an officer opens it from the navigation at 320 px,
changes the grouping and meets a bad period; the administration uses it without JavaScript;
printed, it shows charts and tables but no navigation or filters. axe-core on every page."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, Page, expect

from boerse.accounts.auth import SESSION_COOKIE
from boerse.accounts.sessions import start_session
from boerse.accounts.tables import Role
from boerse.dashboards.rollup import refresh_rollups
from tests.browser.conftest import assert_accessible, assert_fits_the_screen
from tests.dashboards.rollup_town import NOW, rollup_town
from tests.support.factories import PASSWORD, make_officer, make_user

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}


async def check(page: Page) -> None:
    await assert_accessible(page)
    await assert_fits_the_screen(page)


async def signed_in(browser: Browser, live_server: str, user_id: int, **options) -> Page:
    context = await browser.new_context(locale="de-DE", base_url=live_server, **options)
    context.set_default_timeout(10_000)
    cookie = {"name": SESSION_COOKIE, "value": await start_session(user_id), "url": live_server}
    await context.add_cookies([cookie])
    return await context.new_page()


async def test_an_officer_evaluates_their_offers_at_320_px(page: Page) -> None:
    town = await rollup_town()
    await refresh_rollups(full=True, now=NOW)
    officer = await make_officer(town.a)
    await page.set_viewport_size(NARROW)

    await page.goto("/konto/anmelden")
    await page.get_by_label("E-Mail-Adresse").fill(officer.email)
    await page.get_by_label("Passwort").fill(PASSWORD)
    await page.get_by_role("button", name="Anmelden").click()
    navigation = page.get_by_role("navigation", name="Hauptnavigation")
    await navigation.get_by_role("link", name="Auswertung", exact=True).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(f"Auswertung: {town.a.name}")
    await expect(page.get_by_role("img", name="Zustimmung je Monat")).to_be_visible()
    await expect(page.get_by_role("img")).to_have_count(5)
    await expect(page.get_by_role("table", name="Zustimmung je Monat")).to_be_visible()
    await check(page)

    await page.get_by_label("Auswerten nach").select_option(label="Angebot")
    await page.get_by_role("button", name="Auswerten").click()
    await expect(page.get_by_role("heading", name="Alle Zahlen je Angebot")).to_be_visible()
    await page.get_by_role("link", name="Bäume").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Bäume")

    await page.go_back()
    await page.get_by_label("Von (Monat)").fill("2026-11")
    await page.get_by_label("Bis (Monat)").fill("2026-08")
    await page.get_by_role("button", name="Auswerten").click()
    await expect(page.locator(".error-summary")).to_contain_text(
        "Der Monat „bis“ darf nicht vor dem Monat „von“ liegen."
    )
    await expect(page.get_by_label("Von (Monat)")).to_have_value("2026-11")
    await check(page)


async def test_the_administration_filters_without_javascript(
    browser: Browser, live_server: str
) -> None:
    town = await rollup_town()
    await refresh_rollups(full=True, now=NOW)
    admin = await make_user(role=Role.ADMIN)
    page = await signed_in(browser, live_server, admin.id, java_script_enabled=False)

    await page.goto("/verwaltung/auswertung")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Auswertung: Ganze Stadt")
    await page.get_by_label("Organisation").select_option(label=town.b.name)
    await page.get_by_label("Auswerten nach").select_option(label="Angebot")
    await page.get_by_role("button", name="Auswerten").click()

    await expect(page.get_by_role("heading", level=1)).to_have_text(f"Auswertung: {town.b.name}")
    await expect(page.get_by_role("link", name="Müll")).to_be_visible()
    await expect(page.get_by_role("link", name="Bäume")).to_have_count(0)
    await expect(page.get_by_role("img", name="Zustimmung nach Angebot")).to_be_visible()
    # No axe here: page.evaluate never returns while JavaScript is off (axe runs above).
    await page.context.close()


async def test_printed_it_keeps_charts_and_tables_and_drops_the_navigation(
    browser: Browser, live_server: str
) -> None:
    town = await rollup_town()
    await refresh_rollups(full=True, now=NOW)
    officer = await make_officer(town.a)
    page = await signed_in(browser, live_server, officer.id)

    await page.goto("/verwaltung/auswertung?von=2026-08&bis=2026-11")
    await expect(page.locator(".print-only")).to_be_hidden()
    await page.emulate_media(media="print")

    await expect(page.get_by_role("navigation", name="Hauptnavigation")).to_be_hidden()
    await expect(page.locator("form.dashboard-filters")).to_be_hidden()
    await expect(page.locator(".print-only")).to_contain_text(
        "Auswertung nach Handlungsfeld, August 2026 bis November 2026; gedruckt am"
    )
    await expect(page.get_by_role("img", name="Teilnahmen und Antworten je Monat")).to_be_visible()
    await expect(
        page.get_by_role("table", name="Teilnahmen und Antworten je Monat")
    ).to_be_visible()
    await expect(page.get_by_role("link", name="Zahlen als CSV herunterladen")).to_have_count(0)
    await page.context.close()
