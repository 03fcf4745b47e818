"""An officer reads a questionnaire's results in Chromium and downloads the CSV: a walk
audit's lights in words with its stop map and list, a survey's charts with their tables and
free texts, no axe-core violations and no sideways scrolling at 320 px."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from boerse.accounts.auth import SESSION_COOKIE
from boerse.accounts.sessions import start_session
from boerse.questionnaires.tally import NewAnswer
from tests.browser.conftest import assert_accessible
from tests.browser.test_delivery_admin import NARROW, assert_fits_the_screen
from tests.dashboards.answers import choice, new_questionnaire, respond
from tests.questionnaires.test_results import walk_audit
from tests.support.factories import make_officer, make_organisation

pytestmark = pytest.mark.browser

# Screenshots for a person to judge the layout by eye (Playwright creates the folder).
SHOTS = Path(tempfile.gettempdir()) / "shots"


async def signed_in_officer(page: Page, live_server: str):
    organisation = await make_organisation()
    officer = await make_officer(organisation)
    await page.context.add_cookies(
        [{"name": SESSION_COOKIE, "value": await start_session(officer.id), "url": live_server}]
    )
    return organisation


async def test_walk_audit_results_with_map_and_list(page: Page, live_server: str) -> None:
    organisation = await signed_in_officer(page, live_server)
    plan = await walk_audit(organisation.id)
    await page.set_viewport_size(NARROW)

    await page.goto(f"/verwaltung/frageboegen/{plan.questionnaire_id}/ergebnisse")

    await expect(page.get_by_role("heading", name="Ergebnisse je Halt")).to_be_visible()
    await expect(page.get_by_role("img", name="Lage der Halte der Begehung")).to_be_visible()
    stops = page.get_by_role("table", name="Halte der Begehung")
    await expect(stops.get_by_role("row")).to_have_count(4)
    await expect(stops.get_by_text("überwiegend nicht erfüllt")).to_be_visible()
    await expect(page.get_by_role("heading", name="Halt 1: Marktplatz")).to_be_visible()
    await assert_fits_the_screen(page)
    await assert_accessible(page)
    await page.screenshot(path=SHOTS / "results-walk-audit-320.png", full_page=True)
    await page.set_viewport_size({"width": 1280, "height": 900})
    await page.screenshot(path=SHOTS / "results-walk-audit-1280.png", full_page=True)


async def test_survey_results_tables_texts_and_csv_download(page: Page, live_server: str) -> None:
    organisation = await signed_in_officer(page, live_server)
    plan = await new_questionnaire(organisation.id, title="Nachbarschaftsfest")
    rating, first, _second, _third, text = (q.id for q in plan.questions)
    for n, value in enumerate((5, 4, 4)):
        await respond(
            plan,
            [choice(rating, value), choice(first, 3), NewAnswer(text, text=f"=Gedanke {n}")],
        )
    await page.set_viewport_size(NARROW)

    await page.goto(f"/verwaltung/frageboegen/{plan.questionnaire_id}/ergebnisse")
    await page.get_by_text("Als Tabelle anzeigen").first.click()
    table = page.get_by_role("table", name="Wie bewerten Sie das Angebot insgesamt?")
    await expect(table.get_by_role("row", name="4 – gut")).to_contain_text("67")
    await expect(page.get_by_text("=Gedanke 2")).to_be_visible()
    await assert_fits_the_screen(page)
    await assert_accessible(page)
    await page.screenshot(path=SHOTS / "results-survey-320.png", full_page=True)

    async with page.expect_download() as waiting:
        await page.get_by_role("link", name="Antworten als CSV-Datei herunterladen").click()
    download = await waiting.value
    assert download.suggested_filename == "nachbarschaftsfest-fassung-1-antworten.csv"
    content = (await download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert rows[0][3] == "Wie bewerten Sie das Angebot insgesamt?"
    assert [row[0] for row in rows[1:]] == ["1", "2", "3"]
    assert rows[1][-1] == "'=Gedanke 0"
