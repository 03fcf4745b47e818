"""The core actions with JavaScript switched off, as some assistive setups and locked-down
office browsers have it: log in, sign up, cancel from Meine Termine, filter the list."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, Page, expect

from boerse.opportunities.tables import SignUp
from tests.support.factories import (
    PASSWORD,
    make_opportunity,
    make_organisation,
    make_profile,
    make_session,
    make_user,
)

pytestmark = pytest.mark.browser


@pytest.fixture
async def plain_page(browser: Browser, live_server: str) -> AsyncIterator[Page]:
    context = await browser.new_context(
        locale="de-DE", base_url=live_server, java_script_enabled=False
    )
    context.set_default_timeout(10_000)
    yield await context.new_page()
    await context.close()


async def test_sign_up_and_cancel_without_javascript(plain_page: Page) -> None:
    page = plain_page
    town = await make_organisation("Stadtbibliothek")
    offer = await make_opportunity(town, title="Vorlesen in der Kita")
    await make_session(offer, starts_in=dt.timedelta(days=3), capacity=1)
    resident = await make_user(display_name="Jana")
    await make_profile(resident)

    # The login link on the offer page brings her back to the offer afterwards.
    await page.goto(f"/angebote/{offer.id}")
    await page.get_by_role("link", name="Melden Sie sich an, um teilzunehmen").click()
    await page.get_by_label("E-Mail-Adresse").fill(resident.email)
    await page.get_by_label("Passwort").fill(PASSWORD)
    await page.get_by_role("button", name="Anmelden").click()
    await expect(page.get_by_role("heading", name="Vorlesen in der Kita", level=1)).to_be_visible()

    await page.get_by_role("button", name="Jetzt teilnehmen").click()
    await expect(
        page.get_by_text("Sie sind angemeldet. Die Bestätigung kommt per E-Mail.")
    ).to_be_visible()
    await expect(page.get_by_text("ausgebucht – Warteliste möglich")).to_be_visible()

    await (
        page.get_by_role("navigation", name="Hauptnavigation")
        .get_by_role("link", name="Meine Termine")
        .click()
    )
    await page.get_by_role("button", name="Absagen").click()
    await expect(page).to_have_url("/meine-termine")
    await expect(page.get_by_text("Sie haben sich von dem Termin abgemeldet.")).to_be_visible()
    await expect(page.get_by_text("Sie sind zurzeit für keinen Termin angemeldet.")).to_be_visible()
    (row,) = await SignUp.select(SignUp.status)
    assert row["status"] == "cancelled"


async def test_filters_work_without_javascript(plain_page: Page) -> None:
    town = await make_organisation("Ordnungsamt")
    await make_opportunity(town, title="Schulweg-Check", is_online=False)
    await make_opportunity(town, title="Online-Beteiligung Radverkehr", is_online=True)
    await plain_page.goto("/angebote")
    await plain_page.get_by_label("Nur Online-Angebote").check()
    await plain_page.get_by_role("button", name="Angebote anzeigen").click()
    await expect(plain_page).to_have_url(re.compile(r"/angebote\?.*online=on"))
    await expect(plain_page.get_by_role("heading", name="1 Angebot gefunden")).to_be_visible()
    await expect(plain_page.get_by_text("Online-Beteiligung Radverkehr")).to_be_visible()
