"""Messages in Chromium at 360 px: the officer opens the message form for a date (as the
link on its participant list does), forgets the subject (the text stays), sends, reads the confirmation with
the counts and the sent list; the real worker delivers one mail per person, and a
recipient unsubscribes from the link in the mail without logging in. Every page is checked
with axe-core and must not scroll sideways."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from boerse.accounts.tables import User
from tests.browser.conftest import assert_accessible, assert_fits_the_screen, on_live_server
from tests.messages.helpers import FORM, town
from tests.support.factories import PASSWORD
from tests.support.fixtures import links_in, run_worker
from tests.support.services import Mailbox, body_text

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


async def check(page: Page) -> None:
    await assert_accessible(page)
    await assert_fits_the_screen(page)


async def test_officer_messages_the_participants_of_a_date(
    page: Page, live_server: str, mailbox: Mailbox
) -> None:
    t = await town()
    await page.set_viewport_size(PHONE)
    await page.goto(f"/verwaltung/nachrichten/angebot/{t.opportunity.id}/neu?termin={t.first.id}")
    await page.get_by_label("E-Mail-Adresse").fill(t.officer.email)
    await page.get_by_label("Passwort").fill(PASSWORD)
    await page.get_by_role("button", name="Anmelden").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Nachricht an Teilnehmende")
    await expect(page.get_by_label("Alle Angemeldeten eines Termins")).to_be_checked()
    await check(page)

    await page.get_by_label("Nachricht", exact=True).fill(FORM["body"])
    await page.get_by_role("button", name="Nachricht verschicken").click()
    await expect(page.locator(".error-summary")).to_be_visible()
    await expect(page.get_by_label("Nachricht", exact=True)).to_have_value(FORM["body"])
    await check(page)
    await page.get_by_label("Betreff").fill(FORM["subject"])
    await page.get_by_role("button", name="Nachricht verschicken").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(FORM["subject"])
    await expect(page.get_by_text("An 2 Personen verschickt.")).to_be_visible()
    await check(page)
    await page.get_by_role("link", name="Gesendete Nachrichten").click()
    await expect(page.get_by_role("link", name=FORM["subject"])).to_be_visible()
    await check(page)

    await run_worker()
    assert sorted(m["To"] for m in mailbox.messages) == [
        "amt@example.org",
        "anna@example.org",
        "ben@example.org",
    ]
    link = next(
        link
        for link in links_in(body_text(mailbox.to("anna@example.org")[0]))
        if "/nachrichten/abbestellen/" in link
    )
    await page.context.clear_cookies()
    await page.goto(on_live_server(link, live_server))
    await check(page)
    await page.get_by_role("button", name="Keine solchen Nachrichten mehr").click()
    await expect(page.get_by_role("status")).to_contain_text("Sie bekommen keine Nachrichten")
    await check(page)
    anna = await User.select(User.messages_ok).where(User.email == "anna@example.org").first()
    assert anna["messages_ok"] is False
