"""Journey of a council officer in headless Chromium: log in, post an offer (first with
mistakes, then right), add a date, publish it and find it on the public list.

Every page on the way, the forms with errors included, is checked with axe-core."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest
from playwright.async_api import Locator, Page, expect

from boerse.goals.tables import Goal
from boerse.lib.formatting import TOWN_TIMEZONE
from boerse.opportunities.tables import Opportunity, OpportunitySession
from tests.browser.conftest import assert_accessible, assert_fits_the_screen
from tests.support.factories import PASSWORD, make_officer, make_organisation

pytestmark = pytest.mark.browser

# Screenshots for a person to judge the layout by eye (Playwright creates the folder).
SHOTS = Path(tempfile.gettempdir()) / "shots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 720}
TITLE = "Bänke im Rosental zählen und bewerten"


async def shoot(page: Page, name: str) -> None:
    await page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def main_nav(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Hauptnavigation")


async def log_in(page: Page, email: str) -> None:
    await page.goto("/")
    await main_nav(page).get_by_role("link", name="Anmelden").click()
    await assert_accessible(page)
    await page.get_by_label("E-Mail-Adresse").fill(email)
    await page.get_by_label("Passwort").fill("falsch-falsch-falsch")
    await page.get_by_role("button", name="Anmelden").click()
    await expect(page.locator(".error-summary")).to_contain_text("nicht richtig")
    await expect(page.get_by_label("E-Mail-Adresse")).to_have_value(email)
    await assert_accessible(page)
    await page.get_by_label("Passwort").fill(PASSWORD)
    await page.get_by_role("button", name="Anmelden").click()
    await expect(main_nav(page).get_by_role("link", name="Verwaltung")).to_be_visible()


async def submit_with_mistakes(page: Page) -> None:
    """Title and mode given, summary, description and field missing, postcode unknown."""
    await page.get_by_label("Titel").fill(TITLE)
    await page.get_by_label("Mit-Bewerten").check()
    await page.get_by_label("Postleitzahl").fill("00000")
    await page.get_by_label("Hinweise zur Barrierefreiheit").fill("Stufenlos erreichbar.")
    await page.get_by_label("Deutsch", exact=True).check()
    await page.get_by_role("button", name="Entwurf speichern").click()

    summary = page.locator(".error-summary")
    await expect(summary).to_be_visible()
    await expect(summary.get_by_role("link")).to_have_count(4)
    await expect(page.get_by_label("Titel")).to_have_value(TITLE)
    await expect(page.get_by_label("Mit-Bewerten")).to_be_checked()
    await expect(page.get_by_label("Postleitzahl")).to_have_value("00000")
    await expect(page.get_by_label("Deutsch", exact=True)).to_be_checked()
    await expect(page.get_by_label("Hinweise zur Barrierefreiheit")).to_have_value(
        "Stufenlos erreichbar."
    )
    await expect(page.get_by_label("Postleitzahl")).to_have_attribute("aria-invalid", "true")
    await assert_accessible(page)
    await shoot(page, "angebot-formular-fehler-desktop")
    await page.set_viewport_size(PHONE)
    await assert_fits_the_screen(page)
    await shoot(page, "angebot-formular-fehler-phone")
    await page.set_viewport_size(DESKTOP)

    # The links of the summary lead to the fields.
    await summary.get_by_role("link", name="Postleitzahl").click()
    assert await page.evaluate("location.hash") == "#f-postcode"


GOAL = "Mehr gute Sitzplätze für ältere Menschen"


async def complete_form(page: Page) -> None:
    await page.get_by_label("Kurzbeschreibung").fill("Mit einer Checkliste durch den Park.")
    await page.get_by_label("Beschreibung", exact=True).fill(
        "Wir gehen gemeinsam durch das Rosental.\n\nJede Bank wird mit der Checkliste bewertet."
    )
    await page.get_by_label("Handlungsfeld").select_option(label="Umwelt und Klima")
    await page.get_by_label(GOAL).check()
    await page.get_by_label("Postleitzahl").fill("04105")
    await page.get_by_role("button", name="Entwurf speichern").click()
    await expect(page.get_by_text("Das Angebot wurde als Entwurf angelegt.")).to_be_visible()


async def add_session(page: Page, day: dt.date) -> None:
    await assert_accessible(page)
    await page.get_by_label("Datum").fill(day.isoformat())
    await page.get_by_label("Beginn", exact=True).fill("10:00")
    await page.get_by_label("Ende").fill("09:00")
    await page.get_by_label("Plätze", exact=True).fill("12")
    await page.get_by_role("button", name="Termin anlegen").click()
    await expect(page.locator(".error-summary")).to_contain_text(
        "Das Ende muss nach dem Beginn liegen."
    )
    await expect(page.get_by_label("Plätze", exact=True)).to_have_value("12")
    await assert_accessible(page)

    await page.get_by_label("Ende").fill("12:00")
    await page.get_by_role("button", name="Termin anlegen").click()
    await expect(page.get_by_text("Der Termin wurde angelegt.")).to_be_visible()
    await assert_accessible(page)
    await shoot(page, "termine-desktop")


async def test_officer_posts_an_offer_with_a_date_and_publishes_it(page: Page) -> None:
    organisation = await make_organisation("Seniorenbeirat Lindenau")
    await Goal(title=GOAL).save()
    officer = await make_officer(organisation, display_name="Herr Okafor")
    await log_in(page, officer.email)

    await main_nav(page).get_by_role("link", name="Verwaltung").click()
    await expect(page).to_have_url("/verwaltung/angebote")
    await assert_accessible(page)
    await page.get_by_role("link", name="Neues Angebot anlegen").click()
    await expect(page.get_by_label("Name", exact=True)).to_have_value("Herr Okafor")
    await assert_accessible(page)

    await submit_with_mistakes(page)
    assert await Opportunity.count() == 0  # nothing saved half
    await complete_form(page)

    day = (dt.datetime.now(TOWN_TIMEZONE) + dt.timedelta(days=14)).date()
    await add_session(page, day)
    (session,) = await OpportunitySession.select(OpportunitySession.starts_at)
    assert session["starts_at"].astimezone(TOWN_TIMEZONE).hour == 10

    await page.get_by_role("link", name="Weiter zur Übersicht").click()
    await assert_accessible(page)
    await page.get_by_role("button", name="Veröffentlichen").click()
    await expect(page.get_by_text("Das Angebot ist jetzt öffentlich sichtbar.")).to_be_visible()
    await assert_accessible(page)
    await shoot(page, "verwaltung-angebot-desktop")
    await page.set_viewport_size(PHONE)
    await shoot(page, "verwaltung-angebot-phone")
    await assert_fits_the_screen(page)

    await main_nav(page).get_by_role("link", name="Angebote").click()
    await page.get_by_label("Mitmach-Art").select_option(label="Mit-Bewerten")
    await page.get_by_role("button", name="Angebote anzeigen").click()
    card = page.get_by_role("article", name=TITLE)
    await expect(card).to_be_visible()
    await expect(card).to_contain_text("Mit einer Checkliste durch den Park.")
    await shoot(page, "angebote-phone")
    await assert_fits_the_screen(page)
    await card.get_by_role("link", name=TITLE).click()
    await expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    await expect(page.get_by_role("link", name=GOAL)).to_be_visible()
    await expect(page.get_by_text("12 Plätze frei")).to_be_visible()


async def test_officer_cannot_publish_without_a_date(page: Page) -> None:
    officer = await make_officer(await make_organisation("Jugendamt"))
    await log_in(page, officer.email)
    await page.goto("/verwaltung/angebote/neu")
    await page.get_by_label("Titel").fill("Jugendbeirat gründen")
    await page.get_by_label("Kurzbeschreibung").fill("Junge Menschen steuern mit.")
    await page.get_by_label("Beschreibung", exact=True).fill("Wir gründen einen Beirat.")
    await page.get_by_label("Mit-Steuern").check()
    await page.get_by_label("Handlungsfeld").select_option(label="Kinder und Jugend")
    await page.get_by_label("Das Angebot findet online statt").check()
    await page.get_by_role("button", name="Entwurf speichern").click()
    await page.get_by_role("link", name="Jugendbeirat gründen").click()
    await page.get_by_role("button", name="Veröffentlichen").click()
    await expect(page.get_by_role("alert")).to_contain_text("mindestens einen Termin")
    await assert_accessible(page)
    assert (await Opportunity.select(Opportunity.status).first())["status"] == "draft"
