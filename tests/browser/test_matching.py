"""Matching in headless Chromium: a resident reads why an offer is recommended to them, and
an officer invites a matching volunteer and sees them marked as invited. axe on each page."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from boerse.matching.tables import Invitation
from tests.browser.conftest import assert_accessible
from tests.browser.test_journey_officer import PHONE, assert_fits_the_screen, shoot
from tests.matching.test_routes import make_offer, make_resident, refresh_index
from tests.support.factories import PASSWORD, make_officer, make_organisation
from tests.support.fixtures import run_worker
from tests.support.services import Mailbox

pytestmark = pytest.mark.browser


async def log_in(page: Page, email: str) -> None:
    await page.goto("/konto/anmelden")
    await page.get_by_label("E-Mail-Adresse").fill(email)
    await page.get_by_label("Passwort").fill(PASSWORD)
    await page.get_by_role("button", name="Anmelden").click()
    await expect(page.get_by_role("button", name="Abmelden")).to_be_visible()


async def test_resident_opens_recommendations_and_reads_the_reason(page: Page) -> None:
    organisation = await make_organisation("Grünflächenamt")
    await make_offer(organisation, "Bäume pflanzen im Rosental")
    await make_offer(organisation, "Isarufer aufräumen", postcode="80331")
    resident = await make_resident("Jana", email="jana@example.org")
    await refresh_index()

    await log_in(page, resident.email)
    await page.goto("/")
    await expect(page.get_by_role("heading", name="Für Sie empfohlen")).to_be_visible()
    await page.get_by_role("link", name="Alle Empfehlungen für Sie ansehen").click()

    await expect(page).to_have_url("/empfehlungen")
    await expect(page.get_by_role("heading", name="Für Sie empfohlen", level=1)).to_be_visible()
    card = page.get_by_role("listitem").filter(has_text="Bäume pflanzen im Rosental")
    await expect(card).to_contain_text("Warum es zu Ihnen passt:")
    await expect(card).to_contain_text("Ihr Interesse: Umwelt und Klima")
    await expect(card).to_contain_text("Ihre Fähigkeit: Gärtnern")
    await expect(page.get_by_text("Isarufer aufräumen")).to_have_count(0)
    await assert_accessible(page)
    await shoot(page, "empfehlungen-desktop")
    await page.set_viewport_size(PHONE)
    await assert_fits_the_screen(page)
    await page.set_viewport_size({"width": 1280, "height": 720})

    # The filters are a plain GET form.
    await page.get_by_label("Nur Online-Angebote").check()
    await page.get_by_role("button", name="Empfehlungen filtern").click()
    await expect(page).to_have_url("/empfehlungen?mode=&field=&skill=&from=&to=&online=on")
    await expect(page.get_by_text("Zu diesen Filtern passt gerade kein Angebot")).to_be_visible()
    await assert_accessible(page)


async def test_officer_invites_a_matching_volunteer(page: Page, mailbox: Mailbox) -> None:
    organisation = await make_organisation("Grünflächenamt")
    offer = await make_offer(organisation, "Bäume pflanzen im Rosental")
    officer = await make_officer(organisation, email="berger@stadt.example")
    await make_resident("Jana Schneider", email="jana@example.org")
    await refresh_index()

    await log_in(page, officer.email)
    await page.goto(f"/verwaltung/angebote/{offer.id}")
    await page.get_by_role("link", name="Passende Freiwillige finden und einladen").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Passende Freiwillige")
    row = page.get_by_role("row").filter(has_text="Jana")
    await expect(row).to_contain_text("Gärtnern")
    await expect(page.get_by_text("Schneider")).to_have_count(0)
    await assert_accessible(page)

    await row.get_by_role("button", name="Einladen Jana").click()

    await expect(page.get_by_text("Die Einladung wird per E-Mail verschickt.")).to_be_visible()
    await expect(page.get_by_role("row").filter(has_text="Jana").first).to_contain_text(
        "Eingeladen am"
    )
    await expect(page.get_by_role("button", name="Einladen Jana")).to_have_count(0)
    invited = page.get_by_role("region", name="Eingeladen")
    await expect(invited).to_contain_text("noch nicht")
    await assert_accessible(page)
    await shoot(page, "freiwillige-eingeladen-desktop")
    await page.set_viewport_size(PHONE)
    await assert_fits_the_screen(page)
    await shoot(page, "freiwillige-eingeladen-phone")
    assert await Invitation.count() == 1
    await run_worker()
    assert [message["To"] for message in mailbox.messages] == ["jana@example.org"]
