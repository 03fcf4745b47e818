"""Journey of a volunteer answering the follow-up survey on a phone, and of the officer who
reads the result: the real job invites the attendee of a past date, the personal link from
the email opens without login, the answers arrive on the officer's results page. A second
journey answers a walk audit with every question kind stop by stop, closing the page once
and resuming from the same link.

Every page on the way, the survey with errors included, is checked with axe-core."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest
from playwright.async_api import Browser, Locator, Page, expect

from boerse.lib.queue import enqueue
from boerse.opportunities.tables import Attendance, Mode, SignUp, SignUpStatus
from boerse.questionnaires.tables import Answer, Response
from tests.browser.conftest import assert_accessible, assert_fits_the_screen, on_live_server
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
from tests.surveys.helpers import (
    answer_short_feedback,
    make_invitation,
    make_questionnaire,
    make_signup,
    opportunity_plan,
    past_session,
)
from tests.surveys.helpers import (
    question as new_question,
)

pytestmark = pytest.mark.browser

# Screenshots for a person to judge the layout by eye (Playwright creates the folder).
SHOTS = Path(tempfile.gettempdir()) / "shots"
PHONE = {"width": 390, "height": 844}
TITLE = "Demenzfreundlicher Stadtteilspaziergang"
OVERALL = "Wie bewerten Sie das Angebot insgesamt?"


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
        await answer_short_feedback(walk.id, "4", "4", "3", "4", "")
    return walk.id, attendee.email, officer.email


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
    links = links_in(body_text(invitation))
    (link,) = [url for url in links if "/umfrage/" in url and "erinnerungen" not in url]
    (stop_link,) = [url for url in links if url.endswith("/erinnerungen")]

    await answer_on_a_phone(page, on_live_server(link, live_server))
    plan = await opportunity_plan(walk_id)
    overall, _organised, difference = (q.id for q in plan.questions[:3])
    (fives,) = await Answer.select(Answer.response).where(
        Answer.question == overall, Answer.choice == "5"
    )
    (made_difference,) = await Answer.select(Answer.choice).where(
        Answer.response == fives["response"], Answer.question == difference
    )
    assert made_difference == {"choice": "3"}
    assert await Response.count().where(Response.completed.eq(True)) == 3

    # The link is used up: a second visit says so instead of showing the form again.
    await page.goto(on_live_server(link, live_server))
    await expect(page.get_by_role("button", name="Antworten absenden")).to_have_count(0)
    await assert_accessible(page)

    # The one-click stop of reminders: one button, then a clear answer (link used up).
    await page.goto(on_live_server(stop_link, live_server))
    await expect(page.get_by_text("schon beantwortet")).to_be_visible()
    await assert_accessible(page)

    await officer_reads_results(browser, live_server, officer, walk_id)


CHOICES = [("bus", "Bus"), ("rad", "Fahrrad"), ("fuss", "zu Fuß")]
WALK_QUESTIONS = [
    new_question(
        "agreement",
        "Die Wege sind gut beschildert.",
        required=True,
        allow_dont_know=True,
        per_stop=True,
        section="Orientierung",
    ),
    new_question("rating", "Wie wohl fühlen Sie sich hier?", per_stop=True),
    new_question("checklist", "Gibt es Sitzplätze?", required=True, per_stop=True),
    new_question(
        "number",
        "Wie viele Bänke zählen Sie?",
        min_value=0,
        max_value=50,
        per_stop=True,
        help="Eine Schätzung reicht.",
    ),
    new_question("short_text", "Ein Stichwort zu dieser Station", per_stop=True),
    new_question("single_choice", "Wie sind Sie hergekommen?", options=CHOICES),
    new_question("multiple_choice", "Was nutzen Sie sonst?", options=CHOICES),
    new_question("place", "Wo war es am schönsten?"),
    new_question("long_text", "Was sollte sich ändern?"),
]


async def walk_link(live_server: str) -> tuple[str, int]:
    organisation = await make_organisation("Seniorenbüro Plagwitz")
    walk = await make_opportunity(organisation, mode=Mode.CO_ASSESS, title="Begehung Plagwitz")
    questionnaire = await make_questionnaire(
        WALK_QUESTIONS,
        kind="walk_audit",
        title="Begehung: Wie demenzfreundlich ist Plagwitz?",
        stops=[
            {"name": "Felsenkeller", "address": "Karl-Heine-Straße 32"},
            {"name": "Stadtteilpark", "address": "Weißenfelser Straße"},
        ],
        opportunity=walk,
    )
    signup = await make_signup(await past_session(walk))
    token = await make_invitation(signup, questionnaire=questionnaire)
    return f"{live_server}/umfrage/{token}", walk.id


async def test_walk_audit_with_every_question_kind_resumed_on_a_phone(
    page: Page, browser: Browser, live_server: str
) -> None:
    link, walk_id = await walk_link(live_server)
    await page.set_viewport_size(PHONE)
    await page.goto(link)
    await expect(page.get_by_role("heading", name="Station 1 von 2: Felsenkeller")).to_be_visible()
    await expect(page.get_by_text("Seite 1 von 3")).to_be_visible()
    await expect(page.get_by_text("Frage 1 von 14", exact=False)).to_be_visible()
    await assert_accessible(page)
    await assert_fits_the_screen(page)
    await page.screenshot(path=str(SHOTS / "begehung-station-phone.png"), full_page=True)

    # Keyboard only: Tab into the first group, Space chooses, arrows move within it.
    signage = question(page, "Frage 1 von 14 Die Wege sind gut beschildert. (Pflichtfrage)")
    await signage.get_by_role("radio").first.focus()
    await page.keyboard.press("Space")
    await expect(signage.get_by_role("radio", name="trifft voll zu")).to_be_checked()
    await page.keyboard.press("ArrowDown")
    await expect(signage.get_by_role("radio", name="trifft eher zu")).to_be_checked()

    # A number out of range and a missing checklist answer: both named, the rest kept.
    await page.get_by_label("Wie viele Bänke zählen Sie?").fill("70")
    await page.get_by_label("Ein Stichwort zu dieser Station").fill("laut")
    await page.get_by_role("button", name="Station speichern und weiter").click()
    summary = page.locator(".error-summary")
    await expect(summary.get_by_role("link")).to_have_count(2)
    await expect(page.get_by_label("Ein Stichwort zu dieser Station")).to_have_value("laut")
    await expect(signage.get_by_role("radio", name="trifft eher zu")).to_be_checked()
    await assert_accessible(page)
    await assert_fits_the_screen(page)
    await page.screenshot(path=str(SHOTS / "begehung-fehler-phone.png"), full_page=True)

    await page.get_by_label("Wie viele Bänke zählen Sie?").fill("2")
    await (
        page.get_by_role("group", name="Gibt es Sitzplätze?")
        .get_by_role("radio", name="ja")
        .check()
    )
    await page.get_by_role("button", name="Station speichern und weiter").click()
    await expect(page.get_by_role("heading", name="Station 2 von 2: Stadtteilpark")).to_be_visible()

    # The phone's browser is closed; the same link opens where the assessor left off.
    await page.context.close()
    context = await browser.new_context(locale="de-DE")
    resumed = await context.new_page()
    try:
        await resumed.set_viewport_size(PHONE)
        await resumed.goto(link)
        await expect(
            resumed.get_by_role("heading", name="Station 2 von 2: Stadtteilpark")
        ).to_be_visible()
        await (
            resumed.get_by_role("group", name="Die Wege sind gut beschildert.")
            .get_by_role("radio", name="weiß nicht")
            .check()
        )
        await (
            resumed.get_by_role("group", name="Gibt es Sitzplätze?")
            .get_by_role("radio", name="trifft hier nicht zu")
            .check()
        )
        await resumed.get_by_role("button", name="Station speichern und weiter").click()

        await expect(resumed.get_by_text("Seite 3 von 3")).to_be_visible()
        await assert_accessible(resumed)
        await assert_fits_the_screen(resumed)
        await resumed.screenshot(path=str(SHOTS / "begehung-abschluss-phone.png"), full_page=True)
        await (
            resumed.get_by_role("group", name="Wie sind Sie hergekommen?")
            .get_by_role("radio", name="Bus")
            .check()
        )
        others = resumed.get_by_role("group", name="Was nutzen Sie sonst?")
        await others.get_by_role("checkbox", name="Fahrrad").check()
        await others.get_by_role("checkbox", name="zu Fuß").check()
        await (
            resumed.get_by_role("group", name="Wo war es am schönsten?")
            .get_by_role("radio", name="Stadtteilpark")
            .check()
        )
        await resumed.get_by_label("Ort beschreiben").fill("Bank am Teich")
        await resumed.get_by_label("Was sollte sich ändern?").fill("Mehr Schilder.")
        await resumed.get_by_role("button", name="Antworten absenden").click()
        await expect(
            resumed.get_by_role("heading", name="Vielen Dank für Ihre Rückmeldung!")
        ).to_be_visible()
    finally:
        await context.close()

    plan = await opportunity_plan(walk_id)
    stored = await Answer.select(Answer.question, Answer.stop, Answer.choice, Answer.text)
    by_stop = {(row["stop"], row["question"]): row for row in stored}
    first, second = plan.stops
    agreement, _rating, checklist = plan.questions[:3]
    assert by_stop[(first.id, agreement.id)]["choice"] == "3"
    assert by_stop[(second.id, agreement.id)]["choice"] == "dont_know"
    assert by_stop[(second.id, checklist.id)]["choice"] == "na"
    assert sorted(row["choice"] for row in stored if row["question"] == plan.questions[6].id) == [
        "fuss",
        "rad",
    ]
    place = next(row for row in stored if row["question"] == plan.questions[7].id)
    assert (place["choice"], place["text"]) == (str(second.id), "Bank am Teich")
    assert await Response.count().where(Response.completed.eq(True)) == 1


async def test_stop_reminders_page_has_one_button(page: Page, live_server: str) -> None:
    link, _walk_id = await walk_link(live_server)
    await page.set_viewport_size(PHONE)
    await page.goto(link + "/erinnerungen")
    await assert_accessible(page)
    await assert_fits_the_screen(page)
    await page.get_by_role("button", name="Keine Erinnerungen mehr schicken").click()
    await expect(page.get_by_text("keine Erinnerungen mehr", exact=False).first).to_be_visible()
    await assert_accessible(page)
