"""Check-in on a phone (320 px) in headless Chromium with axe-core: the
officer prints the notice and ticks people off, a participant scans the QR link, a walk-in
is added, and every page reflows without an accessibility violation."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.async_api import Browser, Page, expect

from boerse.checkin import services
from boerse.opportunities.tables import SignUp
from tests.checkin.support import setting, signup_row
from tests.support.browser import ZOOM_400, axe_violations, new_page, reflow_problems
from tests.support.factories import make_profile

pytestmark = pytest.mark.browser


async def phone(browser: Browser, live_server: str, user_id: int | None) -> Page:
    return await new_page(browser, live_server, viewport=ZOOM_400, user_id=user_id)


async def fits_and_accessible(page: Page) -> None:
    assert await reflow_problems(page) == []
    assert await axe_violations(page) == []


async def test_check_in_by_code_and_by_the_officer_on_a_phone(
    browser: Browser,
    live_server: str,
) -> None:
    s = await setting(starts_in=dt.timedelta(minutes=-15))
    await make_profile(s.people[1], accessibility_needs=["wheelchair"])
    code = await services.ensure_code(s.session.id)
    base = f"/verwaltung/termine/{s.session.id}"

    # The participant scans the QR code while logged in.
    anna = await phone(browser, live_server, s.people[0].id)
    await anna.goto(f"/einchecken/{code}")
    await expect(anna.get_by_text("Sie sind eingecheckt.")).to_be_visible()
    await fits_and_accessible(anna)
    await anna.context.close()

    # Someone without login or link is told what to do; the typing page works too.
    stranger = await phone(browser, live_server, None)
    await stranger.goto(f"/einchecken/{code}")
    await expect(stranger.get_by_text("Wir wissen noch nicht, wer Sie sind.")).to_be_visible()
    await fits_and_accessible(stranger)
    await stranger.goto("/einchecken")
    await fits_and_accessible(stranger)
    await stranger.context.close()

    officer = await phone(browser, live_server, s.officer.id)
    await officer.goto(f"{base}/aushang")
    await expect(officer.get_by_text(code, exact=True)).to_be_visible()
    await fits_and_accessible(officer)

    await officer.goto(f"{base}/einchecken")
    await expect(officer.get_by_text("selbst eingecheckt")).to_be_visible()
    await expect(officer.get_by_text("Rollstuhlgerecht (stufenlos, WC)")).to_be_visible()
    await fits_and_accessible(officer)
    ben = officer.locator(f"#p-{s.signup_ids[1]}")
    await ben.get_by_label("Stunden").fill("1,5")
    await ben.get_by_role("button", name="anwesend").click()
    await expect(officer.get_by_text("Gespeichert.")).to_be_visible()

    too_long = officer.locator(f"#p-{s.signup_ids[1]}")
    await too_long.get_by_label("Stunden").fill("5")
    await too_long.get_by_role("button", name="anwesend").click()
    await expect(officer.get_by_role("alert").first).to_contain_text("Höchstens 2 Stunden")
    await fits_and_accessible(officer)

    await officer.goto(f"{base}/einchecken")
    await officer.get_by_label("Name").fill("Dora Dorn")
    await officer.get_by_label("E-Mail-Adresse").fill("dora@example.org")
    await officer.get_by_role("button", name="Als anwesend eintragen").click()
    await expect(officer.get_by_text("Die Person ist eingetragen")).to_be_visible()
    await officer.goto(f"{base}/teilnehmende")
    await fits_and_accessible(officer)
    await officer.context.close()

    row = await signup_row(s.signup_ids[1])
    assert (row["attendance"], row["hours"], row["checkin_method"]) == ("attended", 1.5, "officer")
    assert (await signup_row(s.signup_ids[0]))["checkin_method"] == "code"
    assert await SignUp.count().where(SignUp.checkin_method == "walkin") == 1
