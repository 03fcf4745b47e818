"""The done-when journey of "Was wirkt?" in Chromium at 320 px with axe-core: an
administrator creates a main goal (one error on the way) and a sub-goal; an officer links
an opportunity to the sub-goal and marks the impact statement as its indicator; after
answers arrive (five this month, one a month earlier) the public goal page shows the
opportunity, the participants and the agreement per month; once the worker rebuilt the
rollups, the officer's and the administration's dashboards show them by field and by mode
with monthly trends, and the public transparency page shows this month while it withholds
the earlier month's single answer; the officer publishes "Sie haben gesagt – wir haben
gehandelt" on the goal and every participant receives it by e-mail."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.async_api import Page, expect

from boerse.accounts.auth import SESSION_COOKIE
from boerse.accounts.sessions import start_session
from boerse.accounts.tables import Role
from boerse.goals.tables import Goal
from boerse.lib.queue import enqueue
from boerse.opportunities.tables import Attendance
from boerse.questionnaires.tables import Response
from tests.browser.conftest import (
    assert_accessible,
    assert_fits_the_screen,
    write_and_publish_reply,
)
from tests.goals.helpers import IMPACT
from tests.support.factories import make_officer, make_opportunity, make_organisation, make_user
from tests.support.fixtures import run_worker
from tests.support.services import Mailbox
from tests.surveys.helpers import (
    answer_short_feedback,
    ensure_short_feedback,
    make_signup,
    past_session,
)

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 720}
MAIN = "Verbesserung der Berufschancen Jugendlicher"
SUB = "Jugendliche haben die richtigen Fähigkeiten für den Arbeitsmarkt"


async def check(page: Page) -> None:
    await assert_accessible(page)
    await assert_fits_the_screen(page)


async def act_as(page: Page, live_server: str, user_id: int) -> None:
    await page.context.clear_cookies()
    await page.context.add_cookies(
        [{"name": SESSION_COOKIE, "value": await start_session(user_id), "url": live_server}]
    )


async def test_what_works_from_goals_to_dashboards_public_figures_and_a_reply(
    page: Page, live_server: str, mailbox: Mailbox
) -> None:
    await ensure_short_feedback()
    organisation = await make_organisation(name="Jugendamt")
    opportunity = await make_opportunity(
        organisation,
        field="youth",
        title="Bewerbungstraining",
        summary="Wir üben Bewerbungsgespräche.",
        contact_name="Frau Beispiel",
        contact_email="beispiel@example.org",
    )
    await page.set_viewport_size(NARROW)

    # The administrator builds the hierarchy.
    await act_as(page, live_server, (await make_user(role=Role.ADMIN)).id)
    await page.goto("/admin")
    await (
        page.get_by_role("navigation", name="Administration")
        .get_by_role("link", name="Wirkungsziele")
        .click()
    )
    await check(page)
    await page.get_by_role("link", name="Neues Hauptziel").click()
    await page.get_by_label("Beschreibung").fill("Junge Menschen finden eine Lehrstelle.")
    await page.get_by_role("button", name="Speichern").click()
    await expect(page.locator(".error-summary")).to_be_visible()
    await expect(page.get_by_label("Beschreibung")).to_have_value(
        "Junge Menschen finden eine Lehrstelle."
    )
    await check(page)
    await page.get_by_label("Titel").fill(MAIN)
    await page.get_by_role("button", name="Speichern").click()
    await page.get_by_role("link", name=f"Unterziel zu „{MAIN}“ anlegen").click()
    await page.get_by_label("Titel").fill(SUB)
    await check(page)
    await page.get_by_role("button", name="Speichern").click()
    await expect(page.get_by_text(SUB, exact=True)).to_be_visible()
    await check(page)
    sub = await Goal.objects().where(Goal.title == SUB).first()

    # The officer links the opportunity and marks the indicator.
    await act_as(page, live_server, (await make_officer(organisation)).id)
    await page.goto(f"/verwaltung/angebote/{opportunity.id}/bearbeiten")
    await page.get_by_role("group", name=MAIN).get_by_label(SUB).check()
    await page.get_by_role("button", name="Änderungen speichern").click()
    await expect(page.get_by_role("link", name=SUB)).to_be_visible()
    await check(page)
    await page.get_by_role(
        "link", name="Fragen als Indikatoren der Wirkungsziele markieren"
    ).click()
    await (
        page.get_by_role("group", name=f"„{IMPACT}“ ist ein Indikator für")
        .get_by_label(SUB)
        .check()
    )
    await check(page)
    await page.get_by_role("button", name="Indikatoren speichern").click()
    await expect(page.get_by_text("Die Indikatoren wurden gespeichert.")).to_be_visible()

    # Answers and attendance arrive; the public page shows them.
    session = await past_session(opportunity)
    for _ in range(5):
        await make_signup(session, attendance=Attendance.ATTENDED.value, hours=2.0)
        await answer_short_feedback(opportunity.id, "5", "4", "3")
    await page.context.clear_cookies()
    await page.goto("/wirkungsziele")
    await page.get_by_role("link", name=SUB).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(SUB)
    await expect(page.get_by_role("link", name="Bewerbungstraining")).to_be_visible()
    table = page.get_by_role("table", name=f"Je Monat: {IMPACT}")
    await expect(page.get_by_role("img", name=f"Verlauf je Monat: {IMPACT}")).to_be_visible()
    await expect(table).to_contain_text("100 %")
    await expect(page.get_by_text("Menschen, die mitgemacht haben")).to_be_visible()
    assert sub is not None
    await check(page)

    # One more person took part a month earlier and answered: too few to publish that month.
    earlier = await past_session(opportunity, dt.timedelta(days=35))
    await make_signup(earlier, attendance=Attendance.ATTENDED.value, hours=2.0)
    await answer_short_feedback(opportunity.id, "4", "4", "4")
    latest = await Response.select(Response.id).order_by(Response.id, ascending=False).first()
    await Response.update({Response.submitted_at: earlier.ends_at + dt.timedelta(hours=3)}).where(
        Response.id == latest["id"]
    )
    await enqueue("refresh_dashboards_fully")
    await run_worker()

    # The officer's dashboard by field, then by mode, with the trend per month.
    officer = await make_officer(organisation)
    await act_as(page, live_server, officer.id)
    await page.goto("/")
    await (
        page.get_by_role("navigation", name="Hauptnavigation")
        .get_by_role("link", name="Auswertung", exact=True)
        .click()
    )
    await expect(page.get_by_role("heading", level=1)).to_have_text("Auswertung: Jugendamt")
    await expect(page.get_by_role("img", name="Zustimmung je Monat")).to_be_visible()
    await expect(page.get_by_role("table", name="Zustimmung je Monat")).to_contain_text("100")
    await check(page)
    await page.get_by_label("Auswerten nach").select_option(label="Mitmach-Art")
    await page.get_by_role("button", name="Auswerten").click()
    await expect(page.get_by_role("heading", name="Alle Zahlen je Mitmach-Art")).to_be_visible()
    await check(page)

    # The administration sees the town.
    await act_as(page, live_server, (await make_user(role=Role.ADMIN)).id)
    await page.goto("/admin")
    await (
        page.get_by_role("navigation", name="Administration")
        .get_by_role("link", name="Auswertung der Stadt")
        .click()
    )
    await expect(page.get_by_role("img", name="Zustimmung je Monat")).to_be_visible()
    await check(page)

    # The public sees this month by field; the earlier month's single answer is withheld.
    await page.context.clear_cookies()
    await page.goto("/ergebnisse")
    await page.get_by_role("link", name="Nach Handlungsfeld").click()
    trend = page.get_by_role("table", name="Teilnahmen und Antworten je Monat").first
    await expect(trend.get_by_role("row").filter(has_text="keine Angabe")).to_have_count(1)
    answers = page.get_by_role("table", name=re.compile("^Rückmeldungen"))
    youth = answers.get_by_role("row", name=re.compile("^Kinder und Jugend"))
    await expect(youth).to_contain_text("5")
    assert "6" not in await youth.inner_text()  # the withheld month is not in the sum
    await check(page)

    # The officer answers the goal's results; everyone who took part receives it.
    await act_as(page, live_server, officer.id)
    await page.goto(f"/wirkungsziele/{sub.id}")
    await page.get_by_role("link", name="Antwort schreiben").click()
    await write_and_publish_reply(
        page, "Mehr Übungstermine", "Das Training hilft.", "Ab Januar jeden Monat ein Termin."
    )
    await run_worker()
    assert len({message["To"] for message in mailbox.messages}) == 6
    await page.context.clear_cookies()
    await page.goto(f"/wirkungsziele/{sub.id}")
    await expect(page.get_by_role("link", name="Mehr Übungstermine")).to_be_visible()
    await check(page)
