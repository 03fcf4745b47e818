"""Static pages in a real browser: German, keyboard reachable, no WCAG 2.1 AA violations."""

from __future__ import annotations

import re

import pyotp
import pytest
from playwright.async_api import Page, expect

from boerse.accounts.auth import SESSION_COOKIE
from boerse.accounts.sessions import start_session
from boerse.accounts.tables import Role, User
from boerse.demo.legal import fill
from boerse.legal.defaults import default_text
from boerse.legal.services import save_legal_page
from boerse.legal.tables import LegalPageKind
from boerse.lib.db import utcnow
from boerse.settings import get_settings
from tests.browser.conftest import assert_accessible
from tests.browser.test_delivery_admin import NARROW, assert_fits_the_screen
from tests.support.factories import PASSWORD, make_officer, make_user

pytestmark = pytest.mark.browser


async def test_imprint_is_german_and_accessible(page: Page) -> None:
    await page.goto("/impressum")
    assert await page.get_attribute("html", "lang") == "de"
    assert await page.title() == "Impressum – Mitmach-Börse Lindenau"
    await assert_accessible(page)


async def test_skip_link_moves_focus_to_the_content(page: Page) -> None:
    await page.goto("/datenschutz")
    await page.keyboard.press("Tab")
    assert await page.evaluate("document.activeElement.textContent.trim()") == "Zum Inhalt springen"
    await page.keyboard.press("Enter")
    assert await page.evaluate("document.activeElement.id") == "inhalt"


async def save_demo_texts(admin_id: int) -> None:
    """The three pages as the demo town fills them: headings, lists, links, long addresses."""
    for kind in LegalPageKind:
        text = fill(default_text(kind, get_settings()), "Lindenau")
        await save_legal_page(kind, text, admin_id)


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/impressum", "Impressum"),
        ("/datenschutz", "Datenschutzerklärung"),
        ("/barrierefreiheit", "Erklärung zur Barrierefreiheit"),
    ],
)
async def test_legal_pages_are_accessible_and_fit_a_phone(page: Page, path, heading) -> None:
    await save_demo_texts((await make_user(role=Role.ADMIN)).id)
    await page.set_viewport_size(NARROW)
    await page.goto(path)
    await expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()
    await expect(page.get_by_text(re.compile(r"^Stand: \d{2}\.\d{2}\.\d{4}$"))).to_be_visible()
    await assert_fits_the_screen(page)
    await assert_accessible(page)
    await page.get_by_role("contentinfo").get_by_role("link", name="Impressum").click()
    await expect(page).to_have_url(re.compile(r"/impressum$"))


async def test_an_admin_edits_the_imprint_with_preview_on_a_phone(
    page: Page, live_server: str
) -> None:
    admin = await make_user(role=Role.ADMIN)
    await page.context.add_cookies(
        [{"name": SESSION_COOKIE, "value": await start_session(admin.id), "url": live_server}]
    )
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: dialogs.append(dialog.message))
    await page.set_viewport_size(NARROW)
    await page.goto("/admin")
    await (
        page.get_by_role("navigation", name="Administration")
        .get_by_role("link", name="Rechtstexte")
        .click()
    )
    await page.get_by_role("link", name="Impressum bearbeiten").click()
    await expect(page.get_by_text("11 Platzhalter sind noch nicht ausgefüllt")).to_be_visible()
    await assert_fits_the_screen(page)
    await assert_accessible(page)

    await page.get_by_label("Text (Markdown)").fill(
        "## Anbieterin\n\nStadt Lindenau\nMarktplatz 1\n\n<script>alert('x')</script>"
    )
    await page.get_by_role("button", name="Vorschau anzeigen").click()
    preview = page.get_by_role("region", name="Vorschau (noch nicht gespeichert)")
    await expect(preview.get_by_role("heading", name="Anbieterin")).to_be_visible()
    await expect(preview.get_by_text("<script>alert('x')</script>")).to_be_visible()
    await assert_fits_the_screen(page)
    await assert_accessible(page)

    await page.get_by_role("button", name="Speichern und veröffentlichen").click()
    await expect(page.get_by_text("Der Rechtstext wurde gespeichert")).to_be_visible()
    await page.get_by_role("link", name="Öffentliche Seite ansehen").first.click()
    await expect(page.get_by_text("<script>alert('x')</script>")).to_be_visible()
    await expect(page.get_by_role("heading", name="Anbieterin", level=2)).to_be_visible()
    assert dialogs == []


async def test_second_factor_setup_and_recovery_codes_fit_a_phone(page: Page, live_server) -> None:
    officer = await make_officer(email="einrichten@example.org")
    session = await start_session(officer.id)
    await page.context.add_cookies([{"name": SESSION_COOKIE, "value": session, "url": live_server}])
    await page.set_viewport_size(NARROW)
    await page.goto("/konto")
    await page.get_by_role("link", name="Zwei-Faktor-Anmeldung").click()

    qr_code = page.get_by_role("img", name="QR-Code zum Einrichten der Authenticator-App")
    await expect(qr_code).to_be_visible()
    assert await qr_code.evaluate("image => image.naturalWidth") > 0  # allowed by the CSP
    await assert_fits_the_screen(page)
    await assert_accessible(page)

    secret = (await User.objects().get(User.id == officer.id)).totp_secret
    await page.get_by_label("Code aus der App", exact=True).fill(pyotp.TOTP(secret).now())
    await page.get_by_role("button", name="Einrichten").click()

    await expect(page.get_by_role("heading", name="Ihre Wiederherstellungscodes")).to_be_visible()
    await expect(page.locator(".recovery-codes li")).to_have_count(10)
    await assert_fits_the_screen(page)
    await assert_accessible(page)


async def test_login_code_page_fits_a_phone(page: Page) -> None:
    secret = pyotp.random_base32(length=32)
    await make_officer(email="code@example.org", totp_secret=secret, totp_enabled_at=utcnow())
    await page.set_viewport_size(NARROW)
    await page.goto("/konto/anmelden?next=/verwaltung/angebote")
    await page.get_by_label("E-Mail-Adresse").fill("code@example.org")
    await page.get_by_label("Passwort").fill(PASSWORD)
    await page.get_by_role("button", name="Anmelden").click()

    await expect(page.get_by_role("heading", name="Code eingeben")).to_be_visible()
    await assert_fits_the_screen(page)
    await assert_accessible(page)
    await page.get_by_label("Code", exact=True).fill("000000")
    await page.get_by_role("button", name="Anmelden").click()
    await expect(page.get_by_role("alert").first).to_contain_text("Der Code stimmt nicht")
    await assert_fits_the_screen(page)
    await assert_accessible(page)

    await page.get_by_label("Code", exact=True).fill(pyotp.TOTP(secret).now())
    await page.get_by_role("button", name="Anmelden").click()
    await expect(page).to_have_url(re.compile(r"/verwaltung/angebote$"))


async def test_account_page_sets_the_language_of_the_mails_on_a_phone(
    page: Page, live_server
) -> None:
    resident = await make_user(email="sprache@example.org", display_name="Anna")
    session = await start_session(resident.id)
    await page.context.add_cookies([{"name": SESSION_COOKIE, "value": session, "url": live_server}])
    await page.set_viewport_size(NARROW)
    await page.goto("/konto")
    await assert_fits_the_screen(page)
    await assert_accessible(page)

    await page.get_by_label("Sprache der E-Mails").select_option("en")
    await page.get_by_role("button", name="Sprache speichern").click()

    await expect(page.get_by_text("Your language setting has been saved.")).to_be_visible()
    await expect(page.get_by_label("Language of your emails")).to_have_value("en")
    assert (await User.objects().get(User.id == resident.id)).language == "en"
    await assert_fits_the_screen(page)
    await assert_accessible(page)
