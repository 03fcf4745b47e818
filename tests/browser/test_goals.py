"""Outcome goals in Chromium at 320 px with axe-core: an administrator creates a main goal
(one error on the way) and a sub-goal; an officer links an opportunity to the sub-goal and
marks the impact statement as its indicator; after answers arrive the public goal page
shows the opportunity, the participants and the agreement per month."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from boerse.accounts.auth import SESSION_COOKIE
from boerse.accounts.sessions import start_session
from boerse.accounts.tables import Role
from boerse.goals.tables import Goal
from boerse.opportunities.tables import Attendance
from tests.browser.conftest import assert_accessible, assert_fits_the_screen
from tests.goals.helpers import IMPACT
from tests.support.factories import make_officer, make_opportunity, make_organisation, make_user
from tests.surveys.helpers import (
    answer_short_feedback,
    ensure_short_feedback,
    make_signup,
    past_session,
)

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 720}
MAIN = "Verbesserung der Berufschancen Jugendlicher"
SUB = "Jugendliche haben die richtigen Fähigkeiten für den Arbeitsmarkt"


async def check(page: Page) -> None:
    await assert_accessible(page)
    await assert_fits_the_screen(page)


async def act_as(page: Page, live_server: str, user_id: int) -> None:
    await page.context.clear_cookies()
    await page.context.add_cookies(
        [{"name": SESSION_COOKIE, "value": await start_session(user_id), "url": live_server}]
    )


async def test_goal_from_the_admin_to_the_public_page(page: Page, live_server: str) -> None:
    await ensure_short_feedback()
    organisation = await make_organisation(name="Jugendamt")
    opportunity = await make_opportunity(
        organisation,
        field="youth",
        title="Bewerbungstraining",
        summary="Wir üben Bewerbungsgespräche.",
        contact_name="Frau Beispiel",
        contact_email="beispiel@example.org",
    )
    await page.set_viewport_size(NARROW)

    # The administrator builds the hierarchy.
    await act_as(page, live_server, (await make_user(role=Role.ADMIN)).id)
    await page.goto("/admin")
    await (
        page.get_by_role("navigation", name="Administration")
        .get_by_role("link", name="Wirkungsziele")
        .click()
    )
    await check(page)
    await page.get_by_role("link", name="Neues Hauptziel").click()
    await page.get_by_label("Beschreibung").fill("Junge Menschen finden eine Lehrstelle.")
    await page.get_by_role("button", name="Speichern").click()
    await expect(page.locator(".error-summary")).to_be_visible()
    await expect(page.get_by_label("Beschreibung")).to_have_value(
        "Junge Menschen finden eine Lehrstelle."
    )
    await check(page)
    await page.get_by_label("Titel").fill(MAIN)
    await page.get_by_role("button", name="Speichern").click()
    await page.get_by_role("link", name=f"Unterziel zu „{MAIN}“ anlegen").click()
    await page.get_by_label("Titel").fill(SUB)
    await check(page)
    await page.get_by_role("button", name="Speichern").click()
    await expect(page.get_by_text(SUB, exact=True)).to_be_visible()
    await check(page)
    sub = await Goal.objects().where(Goal.title == SUB).first()

    # The officer links the opportunity and marks the indicator.
    await act_as(page, live_server, (await make_officer(organisation)).id)
    await page.goto(f"/verwaltung/angebote/{opportunity.id}/bearbeiten")
    await page.get_by_role("group", name=MAIN).get_by_label(SUB).check()
    await page.get_by_role("button", name="Änderungen speichern").click()
    await expect(page.get_by_role("link", name=SUB)).to_be_visible()
    await check(page)
    await page.get_by_role(
        "link", name="Fragen als Indikatoren der Wirkungsziele markieren"
    ).click()
    await (
        page.get_by_role("group", name=f"„{IMPACT}“ ist ein Indikator für")
        .get_by_label(SUB)
        .check()
    )
    await check(page)
    await page.get_by_role("button", name="Indikatoren speichern").click()
    await expect(page.get_by_text("Die Indikatoren wurden gespeichert.")).to_be_visible()

    # Answers and attendance arrive; the public page shows them.
    session = await past_session(opportunity)
    for _ in range(5):
        await make_signup(session, attendance=Attendance.ATTENDED.value, hours=2.0)
        await answer_short_feedback(opportunity.id, "5", "4", "3")
    await page.context.clear_cookies()
    await page.goto("/wirkungsziele")
    await page.get_by_role("link", name=SUB).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(SUB)
    await expect(page.get_by_role("link", name="Bewerbungstraining")).to_be_visible()
    table = page.get_by_role("table", name=f"Je Monat: {IMPACT}")
    await expect(page.get_by_role("img", name=f"Verlauf je Monat: {IMPACT}")).to_be_visible()
    await expect(table).to_contain_text("100 %")
    await expect(page.get_by_text("Menschen, die mitgemacht haben")).to_be_visible()
    assert sub is not None
    await check(page)
