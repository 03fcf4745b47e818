"""Journey of a volunteer answering the follow-up survey on a phone, and of the officer who
reads the result: the real job invites the attendee of a past date, the personal link from
the email opens without login, the answers arrive on the officer's results page.

Every page on the way, the survey with errors included, is checked with axe-core."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from playwright.async_api import Browser, Locator, Page, expect

from boerse.lib.queue import enqueue
from boerse.opportunities.tables import Attendance, Mode, SignUp, SignUpStatus
from boerse.surveys.tables import SurveyResponse
from tests.browser.conftest import assert_accessible
from tests.support.factories import (
    PASSWORD,
    make_officer,
    make_opportunity,
    make_organisation,
    make_session,
    make_user,
)
from tests.support.fixtures import links_in, run_worker
from tests.support.services import Mailbox, body_text
from tests.surveys.helpers import make_response

pytestmark = pytest.mark.browser

# Screenshots for a person to judge the layout by eye (Playwright creates the folder).
SHOTS = Path(tempfile.gettempdir()) / "shots"
PHONE = {"width": 390, "height": 844}
TITLE = "Demenzfreundlicher Stadtteilspaziergang"
OVERALL = "Wie bewerten Sie das Angebot insgesamt?"


def on_live_server(url: str, live_server: str) -> str:
    """The job ran in this process, whose BASE_URL may differ: keep only path and query."""
    parts = urlsplit(url)
    return urlunsplit(urlsplit(live_server)[:2] + parts[2:])


async def seed_past_date() -> tuple[int, str, str]:
    """An officer's walk audit that ended yesterday with one attendee, and two answers given
    earlier (officers see ratings from three answers on); returns the offer's id, the
    attendee's and the officer's email."""
    organisation = await make_organisation("Seniorenbüro Lindenau")
    officer = await make_officer(organisation)
    walk = await make_opportunity(organisation, mode=Mode.CO_ASSESS, title=TITLE)
    session = await make_session(walk, starts_in=-dt.timedelta(days=1))
    attendee = await make_user(display_name="Herr Yilmaz")
    await SignUp(
        session=session.id,
        user=attendee.id,
        status=SignUpStatus.REGISTERED.value,
        attendance=Attendance.ATTENDED.value,
        hours=2,
    ).save()
    for _ in range(2):
        await make_response(walk, overall=4, difference=3)
    return walk.id, attendee.email, officer.email


async def assert_fits_the_screen(page: Page) -> None:
    """Nothing sticks out sideways: a phone user never has to scroll horizontally."""
    overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{overflow} px wider than the screen"


def question(page: Page, name: str) -> Locator:
    return page.get_by_role("group", name=name)


async def answer_on_a_phone(page: Page, link: str) -> None:
    await page.set_viewport_size(PHONE)
    await page.goto(link)
    await expect(page.get_by_role("heading", name="Wie war es?")).to_be_visible()
    await expect(page.get_by_text(TITLE)).to_be_visible()
    await assert_accessible(page)
    await assert_fits_the_screen(page)
    await page.screenshot(path=str(SHOTS / "umfrage-phone.png"), full_page=True)

    # Only the overall rating: the three statements are missing.
    await question(page, OVERALL).get_by_role("radio", name="sehr gut", exact=False).first.check()
    await page.get_by_role("button", name="Antworten absenden").click()
    summary = page.locator(".error-summary")
    await expect(summary).to_be_visible()
    await expect(summary.get_by_role("link")).to_have_count(3)
    await expect(question(page, OVERALL).get_by_role("radio").last).to_be_checked()
    await assert_accessible(page)
    await assert_fits_the_screen(page)
    await page.screenshot(path=str(SHOTS / "umfrage-fehler-phone.png"), full_page=True)

    await (
        question(page, "Das Angebot war gut organisiert.")
        .get_by_role("radio", name="trifft voll zu")
        .check()
    )
    await (
        question(page, "Meine Mitwirkung hat etwas bewirkt.")
        .get_by_role("radio", name="trifft eher zu")
        .check()
    )
    await (
        question(page, "Ich würde anderen empfehlen mitzumachen.")
        .get_by_role("radio", name="trifft voll zu")
        .check()
    )
    await page.get_by_label("Möchten Sie uns noch etwas mitteilen?").fill(
        "Mehr Bänke am Marktplatz wären gut."
    )
    await page.get_by_role("button", name="Antworten absenden").click()
    await expect(
        page.get_by_role("heading", name="Vielen Dank für Ihre Rückmeldung!")
    ).to_be_visible()
    await assert_accessible(page)


def figure(page: Page, key: str) -> Locator:
    """The value of one key figure (a dt/dd pair)."""
    term = page.get_by_role("term").filter(has_text=key)
    return term.locator("xpath=following-sibling::dd").locator(".figure-value")


async def officer_reads_results(
    browser: Browser, live_server: str, email: str, walk_id: int
) -> None:
    context = await browser.new_context(locale="de-DE", base_url=live_server)
    page = await context.new_page()
    try:
        await page.goto(f"/verwaltung/angebote/{walk_id}/ergebnisse")
        await page.get_by_label("E-Mail-Adresse").fill(email)
        await page.get_by_label("Passwort").fill(PASSWORD)
        await page.get_by_role("button", name="Anmelden").click()
        await expect(page.get_by_role("heading", level=1)).to_have_text(f"Ergebnisse: {TITLE}")
        await expect(figure(page, "Umfragen verschickt")).to_have_text("1")
        await expect(figure(page, "Antworten")).to_have_text("3")
        await expect(figure(page, "Rücklaufquote")).to_have_text("100\u00a0%")
        await expect(figure(page, "Gesamtbewertung im Durchschnitt")).to_have_text("4,3 von 5")
        chart = page.get_by_role("region", name=OVERALL)
        await expect(chart).to_contain_text("3 Antworten")
        await expect(chart.get_by_text("5 – sehr gut: 1 (33 %)")).to_be_visible()
        await expect(chart.get_by_text("1 – sehr schlecht: 0 (0 %)")).to_be_visible()
        made_difference = page.get_by_role("region", name="Meine Mitwirkung hat etwas bewirkt.")
        await expect(made_difference.get_by_text("trifft eher zu: 3 (100 %)")).to_be_visible()
        await expect(page.get_by_text("Mehr Bänke am Marktplatz wären gut.")).to_be_visible()
        # 100 % is one length in every chart: the tracks all span their card.
        tracks = await page.eval_on_selector_all(
            ".bar", "bars => bars.map(b => Math.round(b.getBoundingClientRect().width))"
        )
        assert len(tracks) == 17 and len(set(tracks)) == 1 and tracks[0] > 600, tracks
        await assert_accessible(page)
        await page.screenshot(path=str(SHOTS / "ergebnisse-desktop.png"), full_page=True)
        await page.set_viewport_size(PHONE)
        await assert_fits_the_screen(page)
        await page.screenshot(path=str(SHOTS / "ergebnisse-phone.png"), full_page=True)
    finally:
        await context.close()


async def test_attendee_answers_survey_on_phone_and_officer_sees_it(
    page: Page, browser: Browser, live_server: str, mailbox: Mailbox
) -> None:
    walk_id, attendee, officer = await seed_past_date()
    assert await enqueue("send_due_surveys")
    await run_worker()
    (invitation,) = mailbox.to(attendee)
    assert mailbox.subjects() == [f"Wie war es? Ihre Meinung zu „{TITLE}“"]
    (link,) = [url for url in links_in(body_text(invitation)) if "/umfrage/" in url]

    await answer_on_a_phone(page, on_live_server(link, live_server))
    (response,) = await SurveyResponse.select(
        SurveyResponse.overall_rating, SurveyResponse.statement_made_difference
    ).where(SurveyResponse.overall_rating == 5)
    assert response == {"overall_rating": 5, "statement_made_difference": 3}

    # The link is used up: a second visit says so instead of showing the form again.
    await page.goto(on_live_server(link, live_server))
    await expect(page.get_by_role("button", name="Antworten absenden")).to_have_count(0)
    await assert_accessible(page)

    await officer_reads_results(browser, live_server, officer, walk_id)
