"""The organisation and selection-list pages in Chromium at 320 px with axe-core: an
officer uploads a logo through the real file input and sees it on the public page; the
administrator retires a skill on the selection list page."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser

from boerse.accounts.tables import Organisation, Role
from boerse.profiles.tables import Skill
from tests.browser.conftest import axe_violations
from tests.browser.test_reflow import reflow_problems, signed_in_page
from tests.organisations.helpers import tiny_png
from tests.support.factories import make_officer, make_opportunity, make_organisation, make_user

pytestmark = pytest.mark.browser


async def test_an_officer_uploads_a_logo_and_an_admin_retires_a_skill(
    browser: Browser, live_server: str, tmp_path
) -> None:
    org = await make_organisation("Nachbarschaftshilfe Lindenau")
    officer = await make_officer(org, email="logo.officer@example.org")
    await make_opportunity(org, accessibility_features=["wheelchair"], max_companions=2)
    admin = await make_user(email="listen.admin@example.org", role=Role.ADMIN)
    logo_file = tmp_path / "logo.png"
    logo_file.write_bytes(tiny_png())

    page = await signed_in_page(browser, live_server, officer.email)
    await page.goto(f"/verwaltung/organisationen/{org.id}/bearbeiten")
    assert await axe_violations(page) == []
    assert await reflow_problems(page) == []
    await page.get_by_label("Ansprechperson").fill("Frau Kaya")
    await page.get_by_label("Neues Logo hochladen").set_input_files(str(logo_file))
    await page.get_by_role("button", name="Änderungen speichern").click()
    await page.wait_for_url(f"**/organisationen/{org.id}")
    logo = page.get_by_role("img", name="Logo von Nachbarschaftshilfe Lindenau")
    assert await logo.evaluate("img => img.complete && img.naturalWidth === 1")
    assert await axe_violations(page) == []
    assert await reflow_problems(page) == []
    row = await Organisation.objects().where(Organisation.id == org.id).first()
    assert (row.contact_name, row.logo_type) == ("Frau Kaya", "image/png")
    await page.context.close()

    page = await signed_in_page(browser, live_server, admin.email)
    await page.goto("/admin/auswahllisten/faehigkeiten")
    assert await axe_violations(page) == []
    assert await reflow_problems(page) == []
    gardening = await Skill.objects().where(Skill.slug == "gardening").first()
    await page.locator(f"form[action$='/{gardening.id}/stilllegen'] button").click()
    await page.wait_for_load_state()
    assert await page.get_by_text("Der Eintrag wird nicht mehr zur Auswahl angeboten").count()
    skill = await Skill.objects().where(Skill.slug == "gardening").first()
    assert skill.retired_at is not None
    await page.context.close()
