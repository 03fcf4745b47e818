"""The partner-access pages in Chromium at 320 px: the form with its errors, the page that
shows a new key once, the list, and revoking; no axe-core violation on any of them."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, expect

from boerse.accounts.tables import Role
from boerse.partners.tables import PartnerKey
from tests.support.browser import assert_accessible, assert_fits_the_screen, new_page
from tests.support.factories import make_organisation, make_user

pytestmark = pytest.mark.browser


async def test_an_admin_issues_and_revokes_a_key_on_a_phone(
    browser: Browser, live_server: str
) -> None:
    await make_organisation("Sozialwerk Lindenau e. V. – Nachbarschaftshilfe und Besuchsdienste")
    admin = await make_user(role=Role.ADMIN)
    page = await new_page(
        browser, live_server, viewport={"width": 320, "height": 640}, user_id=admin.id
    )
    await page.goto("/admin/partnerzugaenge")
    await expect(page.get_by_text("Es wurden noch keine Schlüssel ausgegeben.")).to_be_visible()
    await page.get_by_role("link", name="Schlüssel ausgeben").click()

    await page.get_by_label("Name des Partners").fill("Einsatzplanung des Sozialwerks")
    await page.get_by_label("Angebote und Termine der Organisation schreiben").check()
    await page.get_by_role("button", name="Schlüssel ausgeben").click()
    await expect(page.locator(".error-summary")).to_be_visible()
    assert await page.get_by_label("Name des Partners").input_value() == (
        "Einsatzplanung des Sozialwerks"
    )
    await assert_accessible(page)
    await assert_fits_the_screen(page)

    await page.get_by_label("Ansprechperson").fill("Petra Schmitt, 0341 880 12-0")
    await page.get_by_role("combobox", name="Organisation").select_option(
        label=("Sozialwerk Lindenau e. V. – Nachbarschaftshilfe und Besuchsdienste")
    )
    await page.get_by_role("button", name="Schlüssel ausgeben").click()
    key = await page.get_by_label("API-Schlüssel").input_value()
    assert key.startswith("mbp_")
    await assert_accessible(page)
    await assert_fits_the_screen(page)

    await page.get_by_role("link", name="Zurück zu den Partnerzugängen").click()
    await expect(
        page.get_by_role("rowheader", name="Einsatzplanung des Sozialwerks")
    ).to_be_visible()
    assert key not in await page.content()
    await assert_accessible(page)
    await assert_fits_the_screen(page)
    await page.get_by_role("button", name="Widerrufen – Einsatzplanung").click()
    await expect(page.get_by_text("Der Schlüssel ist widerrufen")).to_be_visible()
    await assert_accessible(page)
    assert (await PartnerKey.select(PartnerKey.revoked_at).first())["revoked_at"] is not None
    await page.context.close()
