"""The inventory in Chromium at 320 px: an officer opens the matrix from the navigation, sees
figures and gaps, opens a cell, notes an idea (an empty one first) and enters co-production
outside the Börse. Every page is checked with axe-core and must not scroll sideways."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from boerse.dashboards.rollup import refresh_rollups
from tests.browser.conftest import assert_accessible, assert_fits_the_screen
from tests.inventory.helpers import small_town
from tests.support.factories import PASSWORD, make_officer

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}


async def check(page: Page) -> None:
    await assert_accessible(page)
    await assert_fits_the_screen(page)


async def test_officer_uses_the_inventory_at_320_px(page: Page) -> None:
    town = await small_town()
    await refresh_rollups(full=True)  # the matrix counts from the worker's rollup
    officer = await make_officer(town.organisation)
    await page.set_viewport_size(NARROW)

    await page.goto("/konto/anmelden")
    await page.get_by_label("E-Mail-Adresse").fill(officer.email)
    await page.get_by_label("Passwort").fill(PASSWORD)
    await page.get_by_role("button", name="Anmelden").click()
    navigation = page.get_by_role("navigation", name="Hauptnavigation")
    await navigation.get_by_role("link", name="Bestandsaufnahme", exact=True).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Bestandsaufnahme der Koproduktion"
    )
    await expect(page.get_by_text("38 Lücken in der Übersicht.")).to_be_visible()
    await check(page)

    await page.get_by_role("link", name="1 laufend, 2 vergangen").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Umwelt und Klima · Mit-Umsetzen"
    )
    await expect(page.get_by_role("link", name="Bäume gießen")).to_be_visible()
    await check(page)

    await page.get_by_role("button", name="Idee notieren").click()
    await expect(page.locator(".error-summary")).to_be_visible()
    await check(page)
    await page.get_by_label("Ihre Idee").fill("Ein Gießplan, den Anwohnende selbst pflegen")
    await page.get_by_role("button", name="Idee notieren").click()
    await expect(page.get_by_text("Ein Gießplan, den Anwohnende selbst pflegen")).to_be_visible()

    await page.get_by_role("link", name="Koproduktion außerhalb der Börse eintragen").click()
    await check(page)
    await page.get_by_label("Name").fill("Gießpaten im Stadtpark")
    await page.get_by_role("button", name="Speichern").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Umwelt und Klima · Mit-Umsetzen"
    )
    await expect(page.get_by_role("heading", name="Gießpaten im Stadtpark")).to_be_visible()
    await check(page)
