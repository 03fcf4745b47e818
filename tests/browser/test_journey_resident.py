"""Journey of a resident in headless Chromium: register, confirm the address from the email,
log in, fill in the profile, find an offer nearby with the filters, sign up for a date, see it
under Meine Termine and receive the confirmation with the calendar file.

Every page on the way is checked with axe-core (WCAG 2.1 AA), the error states too."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest
from playwright.async_api import Locator, Page, expect

from boerse.opportunities.tables import Mode
from boerse.profiles.services import get_profile
from tests.browser.conftest import assert_accessible, assert_fits_the_screen, on_live_server
from tests.support.factories import make_opportunity, make_organisation, make_session
from tests.support.fixtures import links_in, run_worker
from tests.support.services import Mailbox, body_text

pytestmark = pytest.mark.browser

# Screenshots for a person to judge the layout by eye (Playwright creates the folder).
SHOTS = Path(tempfile.gettempdir()) / "shots"
EMAIL = "mara.beispiel@example.org"
PASSWORD = "Lindenau blüht im Frühling 2026"
PHONE = {"width": 390, "height": 844}


async def shoot(page: Page, name: str) -> None:
    """Full-page screenshots for a person to look at; the layout is judged by eye."""
    await page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def main_nav(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Hauptnavigation")


async def assert_label_fits(button: Locator) -> None:
    """The visible label lies inside the button (Chromium once squeezed such buttons to 48 px)."""
    box, label = await button.evaluate(
        "b => [b.getBoundingClientRect().width,"
        " b.querySelector('.kern-label').getBoundingClientRect().width]"
    )
    assert box >= label, (box, label)


async def seed_offers() -> tuple[int, int]:
    """A garden offer in Leipzig with a date next week, a design workshop in Leipzig and a
    co-delivery offer in Munich that the distance filter must leave out."""
    town = await make_organisation("Grünflächenamt Lindenau", website="https://example.org")
    garden = await make_opportunity(
        town,
        mode=Mode.CO_DELIVER,
        title="Gemeinschaftsgarten am Auwald",
        summary="Beete anlegen und pflegen, mit Nachbarinnen und Nachbarn.",
        contact_name="Frau Krause",
        contact_email="gruen@example.org",
    )
    session = await make_session(garden, starts_in=dt.timedelta(days=9), capacity=8)
    workshop = await make_opportunity(town, mode=Mode.CO_DESIGN, title="Spielplatz-Werkstatt")
    await make_session(workshop, starts_in=dt.timedelta(days=5))
    far = await make_opportunity(town, title="Isarufer aufräumen", postcode="80331")
    await make_session(far, starts_in=dt.timedelta(days=6))
    return garden.id, session.id


async def register(page: Page) -> None:
    await page.goto("/")
    await assert_accessible(page)
    await page.get_by_role("link", name="Registrieren", exact=True).click()
    await assert_accessible(page)

    # First attempt: passwords differ and no consent; the form keeps what was typed.
    await page.get_by_label("E-Mail-Adresse").fill(EMAIL)
    await page.get_by_label("Anzeigename").fill("Mara")
    await page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    await page.get_by_label("Passwort wiederholen").fill("etwas anderes")
    await page.get_by_role("button", name="Konto anlegen").click()
    await expect(page.locator(".error-summary")).to_be_visible()
    await expect(page.get_by_label("E-Mail-Adresse")).to_have_value(EMAIL)
    await expect(page.get_by_label("Anzeigename")).to_have_value("Mara")
    await assert_accessible(page)

    await page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    await page.get_by_label("Passwort wiederholen").fill(PASSWORD)
    await page.get_by_label("Ich habe die").check()
    await page.get_by_role("button", name="Konto anlegen").click()
    await expect(page).to_have_url("/konto/registriert")
    await assert_accessible(page)


async def confirm_and_log_in(page: Page, mailbox: Mailbox, live_server: str) -> None:
    assert await run_worker() >= 1
    (message,) = mailbox.to(EMAIL)
    (link,) = [url for url in links_in(body_text(message)) if "/konto/bestaetigen" in url]
    await page.goto(on_live_server(link, live_server))
    # Not logged in yet: the confirmation holds, the login page asks for the password.
    await expect(page.get_by_role("heading", name="Anmelden", level=1)).to_be_visible()
    await expect(page.get_by_text("Ihre E-Mail-Adresse ist bestätigt")).to_be_visible()
    await assert_accessible(page)

    await page.get_by_label("E-Mail-Adresse").fill(EMAIL)
    await page.get_by_label("Passwort").fill(PASSWORD)
    await page.get_by_role("button", name="Anmelden").click()
    # A new resident is led straight to the profile.
    await expect(page).to_have_url("/profil")
    await expect(page.get_by_role("heading", name="Mein Profil", level=1)).to_be_visible()


async def complete_profile(page: Page) -> None:
    await assert_accessible(page)
    await page.get_by_label("Postleitzahl").fill("04109")
    await page.get_by_label("Wie weit würden Sie fahren? (Kilometer)").fill("20")
    await page.get_by_label("Gärtnern").check()
    await page.get_by_label("Umwelt").check()
    await page.get_by_label("Samstag vormittags").check()
    await page.get_by_label("Mittwoch abends").check()
    await page.get_by_label("Stunden im Monat").fill("6")
    await page.get_by_role("button", name="Profil speichern").click()
    await expect(page.get_by_text("Ihr Wohnort: 04109 Leipzig")).to_be_visible()
    await assert_accessible(page)


async def find_offer(page: Page, title: str) -> None:
    await main_nav(page).get_by_role("link", name="Angebote").click()
    await expect(page.get_by_role("heading", name="3 Angebote gefunden")).to_be_visible()
    await assert_accessible(page)
    await shoot(page, "angebote-desktop")

    await page.get_by_label("Mitmach-Art").select_option(label="Mit-Umsetzen")
    await page.get_by_label("Postleitzahl").fill("04109")
    await page.get_by_label("Umkreis in km").fill("25")
    await page.get_by_role("button", name="Angebote anzeigen").click()

    await expect(page.get_by_role("heading", name="1 Angebot gefunden")).to_be_visible()
    await expect(page.get_by_label("Umkreis in km")).to_have_value("25")
    await expect(page.get_by_label("Mitmach-Art")).to_have_value("co_deliver")
    await expect(page.get_by_text("Isarufer aufräumen")).to_have_count(0)
    await expect(page.get_by_text("Spielplatz-Werkstatt")).to_have_count(0)
    await assert_accessible(page)
    await page.get_by_role("link", name=title).click()
    await expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
    await assert_accessible(page)
    await shoot(page, "angebot-desktop")


async def test_resident_registers_completes_profile_and_signs_up(
    page: Page, live_server: str, mailbox: Mailbox
) -> None:
    opportunity_id, session_id = await seed_offers()
    await register(page)
    await confirm_and_log_in(page, mailbox, live_server)
    await complete_profile(page)
    profile = await get_profile(await _user_id())
    assert profile.postcode == "04109"
    assert sorted(profile.time_windows) == ["sat-morning", "wed-evening"]

    await find_offer(page, "Gemeinschaftsgarten am Auwald")
    await assert_label_fits(page.get_by_role("button", name="Jetzt teilnehmen"))
    await page.get_by_role("button", name="Jetzt teilnehmen").click()
    await expect(
        page.get_by_text("Sie sind angemeldet. Die Bestätigung kommt per E-Mail.")
    ).to_be_visible()
    await expect(
        page.locator(f"#termin-{session_id}").get_by_text("Sie sind angemeldet")
    ).to_be_visible()
    await assert_accessible(page)

    await main_nav(page).get_by_role("link", name="Meine Termine").click()
    upcoming = page.get_by_role("region", name="Kommende Termine")
    await expect(
        upcoming.get_by_role("link", name="Gemeinschaftsgarten am Auwald", exact=True)
    ).to_be_visible()
    await expect(upcoming.get_by_text("Angemeldet", exact=True)).to_be_visible()
    await assert_accessible(page)
    await shoot(page, "meine-termine-desktop")
    await page.set_viewport_size(PHONE)
    await shoot(page, "meine-termine-phone")
    await assert_fits_the_screen(page)
    await assert_label_fits(upcoming.get_by_role("button", name="Absagen"))
    await page.goto(f"/angebote/{opportunity_id}")
    await shoot(page, "angebot-phone")
    await assert_fits_the_screen(page)

    mailbox.clear()
    await run_worker()
    assert mailbox.subjects() == ["Ihre Anmeldung: Gemeinschaftsgarten am Auwald"]
    (confirmation,) = mailbox.to(EMAIL)
    calendars = [p for p in confirmation.walk() if p.get_content_type() == "text/calendar"]
    assert len(calendars) == 1
    ics = calendars[0].get_payload(decode=True).decode()
    assert "BEGIN:VEVENT" in ics and "Gemeinschaftsgarten am Auwald" in ics


async def _user_id() -> int:
    from boerse.accounts.tables import User

    row = await User.select(User.id).where(User.email == EMAIL).first()
    return row["id"]
