"""The admin page "Protokoll" in headless Chromium: reached from the admin navigation, no
axe-core violations, no sideways scrolling at 320 px; the filters are a plain GET form."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from boerse.accounts.auth import SESSION_COOKIE
from boerse.accounts.sessions import start_session
from boerse.accounts.tables import Role
from boerse.audit.actions import Action
from boerse.audit.context import Actor, acting_as
from boerse.audit.services import record
from boerse.lib.db import write_transaction
from tests.browser.conftest import assert_accessible
from tests.browser.test_delivery_admin import NARROW, assert_fits_the_screen
from tests.support.factories import make_officer, make_user

pytestmark = pytest.mark.browser


async def test_admin_filters_the_log_on_a_phone(page: Page, live_server: str) -> None:
    admin = await make_user(role=Role.ADMIN, display_name="Ada Admin")
    officer = await make_officer(display_name="Olga Amt")
    with acting_as(Actor(officer.id, "officer", "Olga Amt", "192.0.2.0/24")):
        async with write_transaction():
            await record(Action.OPPORTUNITY_PUBLISHED, 3, summary="Lesepaten im Stadtteil")
            await record(Action.PARTICIPANTS_EXPORTED, 8, count=12)
    await page.context.add_cookies(
        [{"name": SESSION_COOKIE, "value": await start_session(admin.id), "url": live_server}]
    )
    await page.set_viewport_size(NARROW)
    await page.goto("/admin")
    await (
        page.get_by_role("navigation", name="Administration")
        .get_by_role("link", name="Protokoll")
        .click()
    )
    await expect(page.get_by_role("heading", name="Protokoll", level=1)).to_be_visible()
    await expect(page.get_by_text("Lesepaten im Stadtteil")).to_be_visible()
    await assert_fits_the_screen(page)
    await assert_accessible(page)

    await page.get_by_label("Aktion").select_option(label="Angebot veröffentlicht")
    await page.get_by_role("button", name="Filtern").click()
    await expect(page.get_by_text("1 Eintrag gefunden.")).to_be_visible()
    await expect(page.get_by_text("Anzahl: 12")).to_have_count(0)

    await page.get_by_role("textbox", name="Von – optional").fill("2020-02-01")
    await page.get_by_role("textbox", name="Bis – optional").fill("2020-01-01")
    await page.get_by_role("button", name="Filtern").click()
    await expect(
        page.get_by_text("Das Ende des Zeitraums liegt vor seinem Anfang.").first
    ).to_be_visible()
    await assert_accessible(page)
