"""The potential page in Chromium at 320 px: an officer comes from the inventory, reads the
table (a small group withheld in words), narrows it to one field with the GET form (no
JavaScript needed) and follows "Passende Freiwillige" of an offer of their organisation.
Every page is checked with axe-core and must not scroll sideways."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from boerse.inventory.potential import rebuild_potential
from tests.browser.conftest import assert_accessible, assert_fits_the_screen
from tests.inventory.test_potential import small_town
from tests.support.factories import PASSWORD, make_officer

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}


async def check(page: Page) -> None:
    await assert_accessible(page)
    await assert_fits_the_screen(page)


async def test_officer_reads_the_potential_at_320_px(page: Page) -> None:
    town = await small_town()
    await rebuild_potential()
    officer = await make_officer(town.organisation)
    await page.set_viewport_size(NARROW)

    await page.goto("/konto/anmelden")
    await page.get_by_label("E-Mail-Adresse").fill(officer.email)
    await page.get_by_label("Passwort").fill(PASSWORD)
    await page.get_by_role("button", name="Anmelden").click()
    navigation = page.get_by_role("navigation", name="Hauptnavigation")
    await navigation.get_by_role("link", name="Bestandsaufnahme", exact=True).click()
    await page.get_by_role("link", name="Potenzialeinschätzung", exact=False).click()

    await expect(page.get_by_role("heading", level=1)).to_have_text("Potenzialeinschätzung")
    await expect(page.get_by_role("table", name="Umwelt und Klima")).to_contain_text(
        "Bedarf ungedeckt"
    )
    await expect(page.get_by_text("Außerdem 2 Gebiete ohne offenen Bedarf")).to_be_visible()
    await check(page)

    await page.get_by_label("Handlungsfeld").select_option(label="Kinder und Jugend")
    await page.get_by_role("button", name="Anzeigen").click()
    await expect(page.get_by_role("heading", level=2, name="Kinder und Jugend")).to_be_visible()
    await expect(page.get_by_role("heading", level=2, name="Umwelt und Klima")).to_have_count(0)
    await expect(page.get_by_role("link", name="Jugendtreff")).to_be_visible()
    await expect(page.get_by_text("weniger als 5").first).to_be_visible()
    await check(page)

    await page.get_by_label("Handlungsfeld").select_option(label="Alle Handlungsfelder")
    await page.get_by_role("button", name="Anzeigen").click()
    candidates = page.get_by_role("link", name="Passende Freiwillige")
    await expect(candidates).to_have_count(1)  # only the officer's own offer
    await candidates.click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Passende Freiwillige: Bäume gießen"
    )
    await check(page)
