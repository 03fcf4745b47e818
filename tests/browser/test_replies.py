"""Replies in Chromium at 360 px: the officer opens the results, writes a reply (one
error on the way), publishes it; the public list, the reply page and the public results
show it. An officer serving a goal replies from the goal's page; its participants get the
mail by the real worker, once per update, and the public goal page shows the reply. Every
page is checked with axe-core and must not scroll sideways."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from boerse.replies.tables import Reply
from tests.browser.conftest import (
    assert_accessible,
    assert_fits_the_screen,
    write_and_publish_reply,
)
from tests.replies.helpers import (
    FORM,
    GOAL_PARTICIPANTS,
    goal_with_participants,
    town_with_participants,
)
from tests.support.factories import PASSWORD
from tests.support.fixtures import run_worker
from tests.support.services import Mailbox, body_text

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


async def check(page: Page) -> None:
    await assert_accessible(page)
    await assert_fits_the_screen(page)


async def test_officer_writes_and_publishes_the_public_reads(page: Page) -> None:
    town = await town_with_participants()
    await page.set_viewport_size(PHONE)
    await page.goto(f"/verwaltung/angebote/{town.opportunity.id}/ergebnisse")
    await page.get_by_label("E-Mail-Adresse").fill(town.officer.email)
    await page.get_by_label("Passwort").fill(PASSWORD)
    await page.get_by_role("button", name="Anmelden").click()
    await check(page)

    await page.get_by_role("link", name="Rückmeldung an die Teilnehmenden schreiben").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Rückmeldung an die Teilnehmenden schreiben"
    )
    await check(page)
    await page.get_by_label("Überschrift").fill(FORM["title"])
    await page.get_by_label("Was wir erfahren haben").fill(FORM["learned"])
    await page.get_by_role("button", name="Entwurf speichern").click()
    await expect(page.locator(".error-summary")).to_be_visible()
    await expect(page.get_by_label("Überschrift")).to_have_value(FORM["title"])
    await check(page)
    await page.get_by_label("Was sich ändert").fill(FORM["changes"])
    await page.get_by_label("Stand", exact=True).select_option(label="in Umsetzung")
    await page.get_by_role("button", name="Entwurf speichern").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Rückmeldung bearbeiten")
    await check(page)
    await page.get_by_role(
        "button", name="Veröffentlichen und Teilnehmende benachrichtigen"
    ).click()
    await expect(page.get_by_role("link", name="Öffentliche Seite ansehen")).to_be_visible()
    assert (await Reply.select(Reply.published).first())["published"]

    await page.context.clear_cookies()
    await page.goto("/wir-haben-gehandelt/")
    await check(page)
    await page.get_by_role("link", name=FORM["title"]).click()
    await expect(page.get_by_text(FORM["changes"])).to_be_visible()
    await expect(page.locator(".reply-status")).to_contain_text("in Umsetzung")
    await check(page)
    await page.get_by_role("link", name="Parkpflege im Rosental").click()
    await expect(page.get_by_role("link", name=FORM["title"])).to_be_visible()
    await check(page)


async def test_officer_replies_to_a_goal_and_the_participants_receive_it(
    page: Page, mailbox: Mailbox
) -> None:
    goals = await goal_with_participants()
    await page.set_viewport_size(PHONE)
    await page.goto(f"/wirkungsziele/{goals.main.id}")
    await expect(page.get_by_role("link", name="Antwort schreiben")).to_have_count(0)
    await page.goto("/konto/anmelden")
    await page.get_by_label("E-Mail-Adresse").fill(goals.other_officer.email)
    await page.get_by_label("Passwort").fill(PASSWORD)
    await page.get_by_role("button", name="Anmelden").click()
    await page.goto(f"/wirkungsziele/{goals.main.id}")
    await check(page)

    await page.get_by_role("link", name="Antwort schreiben").click()
    await expect(
        page.get_by_role("link", name="Wirkungsziel: Ein grüner Stadtteil")
    ).to_be_visible()
    await check(page)
    await write_and_publish_reply(page, FORM["title"], FORM["learned"], FORM["changes"])
    await run_worker()
    assert sorted(m["To"] for m in mailbox.messages) == GOAL_PARTICIPANTS
    assert FORM["changes"] in body_text(mailbox.to("greta@example.org")[0])

    # a status change reaches them once more, and only once
    mailbox.clear()
    await page.get_by_label("Stand", exact=True).select_option(label="in Umsetzung")
    await page.get_by_role("button", name="Speichern").click()
    await run_worker()
    await run_worker()
    assert sorted(m["To"] for m in mailbox.messages) == GOAL_PARTICIPANTS

    await page.context.clear_cookies()
    await page.goto(f"/wirkungsziele/{goals.main.id}")
    await expect(
        page.get_by_role("heading", name="Sie haben gesagt – wir haben gehandelt")
    ).to_be_visible()
    await expect(page.locator(".reply-status")).to_contain_text("in Umsetzung")
    await expect(page.get_by_role("link", name="Antwort schreiben")).to_have_count(0)
    await check(page)
    await page.get_by_role("link", name=FORM["title"]).click()
    await expect(page.get_by_role("link", name="Ein grüner Stadtteil")).to_be_visible()
    await check(page)
