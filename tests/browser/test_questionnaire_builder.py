"""An officer builds a walk audit on a 360 px phone in headless Chromium: three stops, two
checklist criteria asked at every stop, one mistake on the way, then the preview stop by
stop. List, detail, forms with errors and preview are checked with axe-core."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Browser, Page, expect

from boerse.accounts.auth import SESSION_COOKIE
from boerse.accounts.sessions import start_session
from boerse.questionnaires.tables import Questionnaire
from tests.browser.conftest import assert_accessible
from tests.support.factories import make_officer, make_organisation

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
STOPS = ("Marktplatz", "Rathaus, Eingang Süd", "Stadtpark")
CRITERIA = ("Gibt es Sitzgelegenheiten?", "Ist die Beschilderung gut lesbar?")


async def phone_page(browser: Browser, live_server: str) -> Page:
    officer = await make_officer(await make_organisation("Seniorenbüro"))
    context = await browser.new_context(locale="de-DE", base_url=live_server, viewport=PHONE)
    context.set_default_timeout(10_000)
    session = await start_session(officer.id)
    await context.add_cookies([{"name": SESSION_COOKIE, "value": session, "url": live_server}])
    return await context.new_page()


async def assert_fits(page: Page) -> None:
    overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{overflow} px wider than the screen"
    await assert_accessible(page)


async def add_stop(page: Page, name: str) -> None:
    await page.get_by_role("link", name="Station hinzufügen").click()
    await page.get_by_label("Name der Station").fill(name)
    await page.get_by_role("button", name="Station speichern").click()
    await expect(page.get_by_role("status").filter(has_text="Station wurde")).to_be_visible()


async def add_criterion(page: Page, text: str) -> None:
    await page.get_by_role("link", name="Frage hinzufügen").click()
    await expect(page.get_by_label("Fragetyp")).to_have_value("checklist")
    await expect(page.get_by_label("An jeder Station fragen")).to_be_checked()
    await page.get_by_label("Frage", exact=True).fill(text)
    await page.get_by_label("Pflichtfrage (muss beantwortet werden)").check()
    await page.get_by_role("button", name="Frage speichern").click()
    await expect(page.get_by_role("heading", name=text)).to_be_visible()


async def test_an_officer_builds_and_previews_a_walk_audit(
    browser: Browser, live_server: str
) -> None:
    page = await phone_page(browser, live_server)
    await page.goto("/")
    await (
        page.get_by_role("navigation", name="Hauptnavigation")
        .get_by_role("link", name="Fragebögen")
        .click()
    )
    await expect(page.get_by_role("heading", name="Fragebögen", level=1)).to_be_visible()
    await expect(page.get_by_role("heading", name="Mitgelieferte Vorlagen")).to_be_visible()
    await assert_fits(page)

    await page.get_by_label("Titel").fill("Demenzfreundliche Altstadt")
    await page.get_by_label("Begehung").check()
    await page.get_by_role("button", name="Fragebogen anlegen").click()
    await expect(page.get_by_role("heading", name="Demenzfreundliche Altstadt")).to_be_visible()
    await expect(page.get_by_text("Legen Sie mindestens eine Station an.")).to_be_visible()
    await assert_fits(page)

    # A stop with half a position: shown again with the error and what was typed.
    await page.get_by_role("link", name="Station hinzufügen").click()
    await page.get_by_label("Name der Station").fill(STOPS[0])
    await page.get_by_label("Breitengrad").fill("51,3397")
    await page.get_by_role("button", name="Station speichern").click()
    await expect(page.locator(".error-summary")).to_contain_text("zusammen")
    await expect(page.get_by_label("Name der Station")).to_have_value(STOPS[0])
    await expect(page.get_by_label("Breitengrad")).to_have_value("51,3397")
    await assert_fits(page)
    await page.get_by_label("Längengrad").fill("12,3731")
    await page.get_by_role("button", name="Station speichern").click()
    await expect(page.get_by_role("heading", name=STOPS[0])).to_be_visible()

    for name in STOPS[1:]:
        await add_stop(page, name)
    await add_criterion(page, CRITERIA[0])
    await assert_fits(page)
    await add_criterion(page, CRITERIA[1])

    await expect(page.get_by_text("Diese Begehung kann noch nicht verwendet werden")).to_have_count(
        0
    )
    # The park comes before the town hall.
    await page.get_by_role("button", name=re.compile(r"^Früher\W+Station 3$")).click()
    await expect(page.locator("#stationen ~ ol h3, #stationen + p + ol h3")).to_have_text(
        [f"Station 1 {STOPS[0]}", f"Station 2 {STOPS[2]}", f"Station 3 {STOPS[1]}"]
    )
    await assert_fits(page)

    await page.get_by_role("link", name="Vorschau").click()
    await expect(page.get_by_text("Hier wird nichts gespeichert")).to_be_visible()
    await expect(page.get_by_role("heading", name=f"Station 1 von 3: {STOPS[0]}")).to_be_visible()
    await expect(page.get_by_role("group", name=CRITERIA[0])).to_be_visible()
    await assert_fits(page)
    await page.get_by_role("link", name="Nächste Seite").click()
    await expect(page.get_by_role("heading", name=f"Station 2 von 3: {STOPS[2]}")).to_be_visible()
    await expect(page.get_by_text("Frage 3 von 6")).to_be_visible()
    await page.get_by_role("link", name="Nächste Seite").click()
    await expect(page.get_by_role("heading", name=f"Station 3 von 3: {STOPS[1]}")).to_be_visible()
    await expect(page.get_by_role("link", name="Nächste Seite")).to_have_count(0)
    await page.get_by_label("ja").first.check()  # answerable, but nothing is sent
    await assert_fits(page)

    row = (
        await Questionnaire.select(Questionnaire.kind)
        .where(Questionnaire.title == "Demenzfreundliche Altstadt")
        .first()
    )
    assert row["kind"] == "walk_audit"
    await page.context.close()
