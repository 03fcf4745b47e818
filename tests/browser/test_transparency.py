"""The public transparency page and the open-data page in Chromium at 320 px with axe-core:
a resident goes from the results overview to the figures by mode, meets a bad month, and
finds the downloads."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from boerse.dashboards.rollup import refresh_rollups
from tests.browser.conftest import assert_accessible, assert_fits_the_screen
from tests.dashboards.test_transparency_routes import SECRET, six_then_one

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}


async def check(page: Page) -> None:
    await assert_accessible(page)
    await assert_fits_the_screen(page)


async def test_a_resident_reads_the_figures_and_finds_the_open_data(page: Page) -> None:
    await six_then_one()
    await refresh_rollups(full=True)
    await page.set_viewport_size(NARROW)

    await page.goto("/ergebnisse")
    await page.get_by_role("link", name="Nach Mitmach-Art").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Wirkung in Zahlen: nach Mitmach-Art"
    )
    await expect(page.get_by_role("img", name="Teilnahmen und Antworten je Monat")).to_be_visible()
    await expect(
        page.get_by_role("table", name="Teilnahmen und Antworten je Monat")
    ).to_be_visible()
    assert SECRET not in await page.content()
    await check(page)

    await page.get_by_label("Von (Monat)").fill("2026-05")
    await page.get_by_label("Bis (Monat)").fill("2026-01")
    await page.get_by_role("button", name="Anzeigen").click()
    await expect(page.locator("#fehler")).to_contain_text("nicht vor dem Monat")
    await expect(page.get_by_label("Bis (Monat)")).to_have_value("2026-01")
    await check(page)

    await page.goto("/ergebnisse/auswertung?nach=wirkungsziel")
    await check(page)
    await page.get_by_role("link", name="Alle Zahlen als offene Daten (CSV, JSON)").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Offene Daten")
    await expect(page.get_by_role("link", name="JSON", exact=True)).to_be_visible()
    await check(page)
