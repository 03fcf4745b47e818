"""In headless Chromium on a phone-sized screen: a resident reports hours, the officer confirms
them, the resident issues an Engagementnachweis, downloads the PDF, and a third party's
browser opens the verification link printed in it and sees the certificate confirmed. Every
page on the way is checked with axe-core."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect
from pypdf import PdfReader

from boerse.accounts.tables import User
from tests.engagement.helpers import attended, this_year, world
from tests.support.browser import (
    assert_accessible,
    assert_fits_the_screen,
    new_page,
    on_live_server,
)

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


async def phone_page(browser: Browser, live_server: str, user: User | None) -> Page:
    user_id = None if user is None else user.id
    return await new_page(
        browser, live_server, viewport=PHONE, user_id=user_id, accept_downloads=True
    )


async def check(page: Page) -> None:
    await assert_accessible(page)
    await assert_fits_the_screen(page)


async def test_report_confirm_issue_download_and_verify(browser: Browser, live_server: str) -> None:
    _organisation, officer, opportunity, resident = await world()
    await attended(resident, opportunity, dt.date(this_year() - 1, 6, 6), hours=4.5)
    yesterday = dt.date.today() - dt.timedelta(days=1)

    page = await phone_page(browser, live_server, resident)
    await page.goto("/mein-engagement")
    await expect(page.get_by_role("heading", name="Mein Engagement", level=1)).to_be_visible()
    await check(page)
    await page.get_by_role("link", name="Stunden melden").click()
    await check(page)
    await page.get_by_label("Stunden", exact=False).first.fill("30")
    await page.get_by_role("button", name="Stunden melden").click()
    await expect(page.get_by_role("alert").first).to_contain_text("Bitte prüfen Sie Ihre Eingaben")
    await check(page)
    await page.get_by_label("Angebot").select_option(label="Baumpatenschaft Süd (Grünflächenamt)")
    await page.get_by_label("Datum oder erster Tag").fill(yesterday.isoformat())
    await page.locator("#f-hours").fill("2,5")
    await page.get_by_role("button", name="Stunden melden").click()
    await expect(page.get_by_text("Wartet auf Bestätigung")).to_be_visible()
    await page.context.close()

    desk = await phone_page(browser, live_server, officer)
    await desk.goto("/verwaltung/stundenmeldungen")
    await check(desk)
    await desk.get_by_role("link", name=re.compile("Korrigieren oder ablehnen")).click()
    await check(desk)
    await desk.get_by_label("Mit anderen Stunden bestätigen").check()
    await desk.get_by_role("button", name="Entscheidung speichern").click()
    await expect(desk.get_by_role("alert").first).to_contain_text("Bitte prüfen Sie Ihre Eingaben")
    await check(desk)
    await desk.get_by_label("Bestätigen", exact=True).check()
    await desk.get_by_role("button", name="Entscheidung speichern").click()
    await expect(desk.get_by_text("Die Entscheidung ist gespeichert.")).to_be_visible()
    await desk.context.close()

    page = await phone_page(browser, live_server, resident)
    await page.goto("/mein-engagement")
    await expect(page.get_by_text("Bestätigt", exact=True)).to_be_visible()
    await page.get_by_label(re.compile("Letztes Jahr")).check()
    await page.get_by_role("button", name="Nachweis ausstellen").click()
    await expect(page.get_by_text("Ihr Engagementnachweis ist ausgestellt.")).to_be_visible()
    await check(page)
    # The first download loads the PDF library in the server: give it time on a busy machine.
    async with page.expect_download(timeout=60_000) as download_info:
        await page.get_by_role("link", name=re.compile("Nachweis herunterladen")).click()
    download = await download_info.value
    content = Path(await download.path()).read_bytes()  # noqa: ASYNC240 - a local temp file
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert "Jürgen Weiß" in text and "4,5" in text
    link = re.search(r"http://\S+/nachweis-pruefen/[0-9A-Z-]{19}", text)
    assert link is not None, text
    await page.context.close()

    stranger = await phone_page(browser, live_server, None)
    await stranger.goto(on_live_server(link.group(0), live_server))
    await expect(stranger.get_by_role("heading", name="Der Nachweis ist echt.")).to_be_visible()
    await expect(stranger.get_by_text("Jürgen Weiß")).to_be_visible()
    await check(stranger)
    await stranger.goto("/nachweis-pruefen")
    await stranger.get_by_label("Prüfcode").fill("AAAA-BBBB-CCCC-DDDD")
    await stranger.get_by_role("button", name="Nachweis prüfen").click()
    await expect(
        stranger.get_by_text("Zu diesem Prüfcode gibt es keinen Nachweis.")
    ).to_be_visible()
    await check(stranger)
    await stranger.context.close()
