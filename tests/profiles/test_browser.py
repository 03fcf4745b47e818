"""The profile pages in headless Chromium: filled in by keyboard and mouse, free of WCAG 2.1 AA
violations (axe-core), with the form, its error state, Meine Daten and the deletion page."""

from __future__ import annotations

import pytest
from playwright.async_api import Page

from boerse.accounts.auth import SESSION_COOKIE
from boerse.accounts.sessions import start_session
from boerse.profiles import services
from tests.support.browser import assert_accessible
from tests.support.factories import make_user

pytestmark = pytest.mark.browser


async def log_in(page: Page, live_server: str) -> int:
    user = await make_user(display_name="Anna")
    token = await start_session(user.id)
    await page.context.add_cookies([{"name": SESSION_COOKIE, "value": token, "url": live_server}])
    return user.id


async def test_filling_in_the_profile_in_a_browser(page: Page, live_server: str) -> None:
    user_id = await log_in(page, live_server)
    await page.goto("/profil")
    await assert_accessible(page)

    await page.get_by_label("Postleitzahl").fill("99999")
    await page.get_by_label("Gärtnern").check()
    await page.get_by_label("Samstag vormittags").check()
    await page.get_by_role("button", name="Profil speichern").click()

    assert await page.locator(".error-summary").is_visible()
    assert await page.get_by_label("Samstag vormittags").is_checked()
    await assert_accessible(page)

    await page.get_by_label("Postleitzahl").fill("04109")
    await page.get_by_role("button", name="Profil speichern").click()

    assert await page.get_by_text("Ihr Wohnort: 04109 Leipzig").is_visible()
    profile = await services.get_profile(user_id)
    assert profile.time_windows == ["sat-morning"]
    assert profile.skill_names == ["Gärtnern"]


async def test_my_data_and_deletion_pages_are_accessible(page: Page, live_server: str) -> None:
    await log_in(page, live_server)
    await page.goto("/profil/daten")
    await assert_accessible(page)
    await page.get_by_role("link", name="Konto löschen …").click()
    await page.get_by_role("button", name="Konto endgültig löschen").click()
    assert await page.locator(".error-summary").is_visible()
    await assert_accessible(page)
