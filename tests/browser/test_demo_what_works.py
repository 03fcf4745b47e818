"""The demo town shows "Was wirkt?" on first start, in Chromium with axe-core: the
officer's dashboard has a monthly curve, the inventory counts participants, the potential
view names surpluses and unmet demand, the public transparency page and a goal's page show
figures and a published reply. Nothing here runs the worker: the demo loader builds the
rollups itself, because the worker's regular runs rebuild only recent months."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Browser, Page, expect

from boerse.demo.loader import OFFICER_LOGINS, load_demo
from boerse.goals.tables import Goal
from boerse.replies.tables import Reply
from tests.browser.conftest import assert_accessible
from tests.browser.test_reflow import signed_in_page

pytestmark = pytest.mark.browser

MONTH = re.compile(r"^\w+ \d{4}")


async def months_with_answers(page: Page, table_name: str) -> int:
    """Rows of a month trend table whose answers column (the last) is above zero."""
    table = page.get_by_role("table", name=table_name).first
    rows = table.locator("tbody tr")
    counted = 0
    for index in range(await rows.count()):
        cells = await rows.nth(index).locator("th, td").all_inner_texts()
        if MONTH.match(cells[0]) and cells[-1].strip() not in {"0", "keine Angabe"}:
            counted += 1
    return counted


async def test_the_demo_town_shows_what_works(browser: Browser, live_server: str) -> None:
    assert await load_demo() is True
    officer = await signed_in_page(browser, live_server, OFFICER_LOGINS[0])

    await officer.goto("/verwaltung/auswertung")
    await expect(officer.get_by_text(re.compile("Stand: "))).to_be_visible()
    assert await months_with_answers(officer, "Teilnahmen und Antworten je Monat") >= 4
    await assert_accessible(officer)

    await officer.goto("/verwaltung/bestandsaufnahme/")
    await expect(officer.get_by_text(re.compile("Stand der Teilnehmenden"))).to_be_visible()
    await assert_accessible(officer)

    await officer.goto("/verwaltung/potenzial/")
    await expect(officer.get_by_text("Angebot übersteigt Bedarf").first).to_be_visible()
    await expect(officer.get_by_text("Bedarf ungedeckt").first).to_be_visible()
    await expect(officer.get_by_role("link", name="Passende Freiwillige").first).to_be_visible()
    await assert_accessible(officer)
    await officer.context.close()

    public = await signed_in_page(browser, live_server, None)
    await public.goto("/ergebnisse/auswertung?nach=modus")
    assert await months_with_answers(public, "Teilnahmen und Antworten je Monat") >= 2
    await assert_accessible(public)
    answered = await Reply.select(Reply.goal).where(Reply.goal.is_not_null()).first()
    goal = await Goal.objects().get(Goal.id == answered["goal"])
    await public.goto(f"/wirkungsziele/{goal.id}")
    await expect(
        public.get_by_role("heading", name="Sie haben gesagt – wir haben gehandelt")
    ).to_be_visible()
    await assert_accessible(public)
    await public.context.close()
