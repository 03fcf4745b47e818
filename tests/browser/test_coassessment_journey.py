"""Issue 9's "Done when" as one story in Chromium, every page checked with axe-core.

An officer logs in, starts a standalone assessment (Mitbewerten) from the built-in dementia
walk template, keeps its seven checklist criteria, adds an eighth and three stops in the
builder, then previews it. The
link shown beside the QR code (the QR image encodes exactly that link) brings three
residents with verified accounts to it; the first is an assessor on a 360 px phone who
closes the page after the first stop and resumes at the second from the same link. Apart
from that, the real worker invites the attendee of a co-assessment date that has ended,
reminds after 3 days at the SMTP server, the reminder's link opens the survey in Chromium,
and once it is answered the 10-day reminder never goes out. Finally the officer reads the
walk audit's lights per stop and criterion (in words, with the list beside the stop map) and
downloads the CSV: one row per response, one column per stop and question."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
import segno
import time_machine
from playwright.async_api import Browser, Page, expect

from boerse.accounts.tables import Organisation
from boerse.lib.db import utcnow
from boerse.lib.queue import enqueue
from boerse.opportunities.tables import Mode, SignUp, SignUpStatus
from boerse.outbox.tables import OutboxEmail
from boerse.questionnaires.tables import Response
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

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 360, "height": 740}
TITLE = "Demenzfreundliche Altstadt"
TEMPLATE = "Vorlage: Begehung: Wie demenzfreundlich ist unser Stadtteil? (DE)"
STOPS = (
    ("Marktplatz", "Markt 1", "51,3397", "12,3731"),
    ("Rathaus, Eingang Süd", "Martin-Luther-Ring 4", "51,3358", "12,3717"),
    ("Stadtpark", "Parkweg", "51,3421", "12,3802"),
)
TEMPLATE_CRITERIA = 7
"""The template's checklist criteria asked at every stop (signage … help)."""
ADDED = "Gibt es in der Nähe Trinkwasser?"
CRITERIA = TEMPLATE_CRITERIA + 1
PER_STOP = CRITERIA + 1  # and the notes on the stop
OVERALL = "Wie demenzfreundlich ist der Weg insgesamt?"
NOTE = "Die Bank am Brunnen fehlt."
SURVEY_TITLE = "Stadtteilspaziergang mit Demenz"
ATTENDEE = "mara@example.org"
DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)


async def check(page: Page) -> None:
    """axe-core finds nothing and nothing sticks out sideways."""
    await assert_accessible(page)
    await assert_fits_the_screen(page)


async def new_page(browser: Browser, live_server: str, **options: object) -> Page:
    context = await browser.new_context(locale="de-DE", base_url=live_server, **options)
    context.set_default_timeout(10_000)
    return await context.new_page()


async def log_in(page: Page, email: str) -> None:
    await expect(page.get_by_role("button", name="Anmelden")).to_be_visible()
    await check(page)
    await page.get_by_label("E-Mail-Adresse").fill(email)
    await page.get_by_label("Passwort").fill(PASSWORD)
    await page.get_by_role("button", name="Anmelden").click()


async def main_navigation(page: Page, name: str) -> None:
    navigation = page.get_by_role("navigation", name="Hauptnavigation")
    await navigation.get_by_role("link", name=name, exact=True).click()


# --- 1. the officer builds the walk audit --------------------------------------------------------


async def create_assessment(page: Page, officer: str) -> None:
    await page.goto("/verwaltung/mitbewerten")
    await log_in(page, officer)
    await expect(page.get_by_role("heading", name="Bewertungen verwalten")).to_be_visible()
    await check(page)
    await page.get_by_role("link", name="Neue Bewertung anlegen").click()
    await check(page)
    await page.get_by_label("Titel").fill(TITLE)
    await page.get_by_label("Beschreibung").fill("Wir prüfen die Altstadt Station für Station.")
    await page.get_by_label("Fragebogen").select_option(label=TEMPLATE)
    await page.get_by_label("Alle mit bestätigtem Konto", exact=False).check()
    await page.get_by_role("button", name="Bewertung anlegen").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    await check(page)


async def add_stops(page: Page) -> None:
    await page.get_by_role("link", name="Fragen bearbeiten", exact=False).click()
    await expect(page.get_by_text("Legen Sie mindestens eine Station an.")).to_be_visible()
    # The template's criteria are kept: checklist items asked at every stop.
    facts = await page.locator("p.meta").all_inner_texts()
    criteria = [f for f in facts if f.startswith("Prüfpunkt") and f.endswith("an jeder Station")]
    assert len(criteria) == TEMPLATE_CRITERIA, facts
    await check(page)
    # One more criterion: a walk audit's new question is a checklist item at every stop.
    await page.get_by_role("link", name="Frage hinzufügen").click()
    await expect(page.get_by_label("Fragetyp")).to_have_value("checklist")
    await expect(page.get_by_label("An jeder Station fragen")).to_be_checked()
    await check(page)
    await page.get_by_label("Frage", exact=True).fill(ADDED)
    await page.get_by_label("Pflichtfrage (muss beantwortet werden)").check()
    await page.get_by_role("button", name="Frage speichern").click()
    await expect(page.get_by_role("heading", name=ADDED)).to_be_visible()
    for name, address, latitude, longitude in STOPS:
        await page.get_by_role("link", name="Station hinzufügen").click()
        await check(page)
        await page.get_by_label("Name der Station").fill(name)
        await page.get_by_label("Adresse oder Beschreibung").fill(address)
        await page.get_by_label("Breitengrad").fill(latitude)
        await page.get_by_label("Längengrad").fill(longitude)
        await page.get_by_role("button", name="Station speichern").click()
        await expect(page.get_by_role("heading", name=name)).to_be_visible()
    await expect(page.get_by_text("Diese Begehung kann noch nicht verwendet werden")).to_have_count(
        0
    )
    await check(page)


async def preview(page: Page) -> None:
    await page.get_by_role("link", name="Vorschau").click()
    await expect(page.get_by_text("Hier wird nichts gespeichert")).to_be_visible()
    for number, (name, *_rest) in enumerate(STOPS, start=1):
        await expect(
            page.get_by_role("heading", name=f"Station {number} von 3: {name}")
        ).to_be_visible()
        await expect(page.get_by_role("radio", name="ja", exact=True)).to_have_count(CRITERIA)
        await expect(page.get_by_role("group", name=ADDED)).to_be_visible()
        await check(page)
        await page.get_by_role("link", name="Nächste Seite").click()
    await expect(page.get_by_role("group", name=OVERALL)).to_be_visible()
    await expect(page.get_by_role("link", name="Nächste Seite")).to_have_count(0)
    await check(page)


async def public_link(page: Page, live_server: str) -> str:
    """The link beside the QR code, after checking that the image encodes exactly it."""
    await main_navigation(page, "Mitbewerten")
    await check(page)
    await page.get_by_role("link", name=TITLE).click()
    share = page.get_by_role("region", name="Öffentlicher Link und QR-Code")
    link = (await share.get_by_role("link").inner_text()).strip()
    assert re.fullmatch(re.escape(live_server) + r"/mitbewerten/[\w-]+", link), link
    image = share.get_by_role("img", name=f"QR-Code mit dem Link {link}")
    # segno is deterministic: the same symbol for the same text and settings.
    expected = segno.make(link, error="m").svg_data_uri(scale=6, border=4)
    assert await image.get_attribute("src") == expected
    await check(page)
    return link


# --- 2. and 3. residents answer through the QR link ---------------------------------------------


async def answer_stop(page: Page, number: int, choice: str, note: str = "") -> None:
    name = STOPS[number - 1][0]
    await expect(
        page.get_by_role("heading", name=f"Station {number} von 3: {name}")
    ).to_be_visible()
    await expect(page.get_by_text(f"Seite {number} von 4")).to_be_visible()
    await check(page)
    for radio in await page.get_by_role("radio", name=choice, exact=True).all():
        await radio.check()
    if note:
        await page.get_by_label("Notizen zu dieser Station").fill(note)
    await page.get_by_role("button", name="Station speichern und weiter").click()


async def finish(page: Page, rating: int) -> None:
    await expect(page.get_by_text("Seite 4 von 4")).to_be_visible()
    await check(page)
    await page.get_by_role("group", name=OVERALL).get_by_role("radio").nth(rating - 1).check()
    await page.get_by_role("button", name="Antworten absenden").click()
    await expect(
        page.get_by_role("heading", name="Vielen Dank für Ihre Antworten!")
    ).to_be_visible()
    await check(page)


async def open_link_and_log_in(page: Page, link: str, email: str) -> None:
    await page.goto(link)
    await expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    await check(page)
    await page.get_by_role("link", name="Jetzt mitmachen").click()
    await log_in(page, email)


async def assessor_on_a_phone(browser: Browser, live_server: str, link: str) -> None:
    """Stop 1, the page closed; the same link in a fresh browser opens at stop 2."""
    assessor = await make_user(email="assessor@example.org")
    page = await new_page(browser, live_server, viewport=PHONE)
    try:
        await open_link_and_log_in(page, link, assessor.email)
        await answer_stop(page, 1, "ja", NOTE)
        await expect(
            page.get_by_role("heading", name=f"Station 2 von 3: {STOPS[1][0]}")
        ).to_be_visible()
    finally:
        await page.context.close()
    assert await Response.count().where(Response.completed.eq(False)) == 1

    page = await new_page(browser, live_server, viewport=PHONE)
    try:
        await open_link_and_log_in(page, link, assessor.email)
        await answer_stop(page, 2, "nein")
        await answer_stop(page, 3, "ja")
        await finish(page, 2)
    finally:
        await page.context.close()


async def resident_answers(
    browser: Browser, live_server: str, link: str, email: str, last_stop: str
) -> None:
    resident = await make_user(email=email)
    page = await new_page(browser, live_server, viewport=PHONE)
    try:
        await open_link_and_log_in(page, link, resident.email)
        await answer_stop(page, 1, "ja")
        await answer_stop(page, 2, "nein")
        await answer_stop(page, 3, last_stop)
        await finish(page, 3)
    finally:
        await page.context.close()


# --- 4. reminders through the real worker --------------------------------------------------------


async def sweep_at(moment: dt.datetime) -> None:
    """The outbox's periodic sweep at `moment` and the delivery it wakes, on the real worker."""
    with time_machine.travel(moment, tick=True):
        assert await enqueue("sweep_outbox")
        await run_worker()


def survey_link(mail_text: str) -> str:
    return next(
        url for url in links_in(mail_text) if "/umfrage/" in url and "erinnerungen" not in url
    )


async def reminder_answered_in_the_browser(
    browser: Browser, live_server: str, mailbox: Mailbox, organisation: Organisation
) -> None:
    walk = await make_opportunity(organisation, mode=Mode.CO_ASSESS, title=SURVEY_TITLE)
    # A two-hour date that ended an hour ago, attended by one volunteer.
    session = await make_session(walk, starts_in=-3 * HOUR, duration=2 * HOUR)
    attendee = await make_user(email=ATTENDEE)
    await SignUp(session=session.id, user=attendee.id, status=SignUpStatus.CONFIRMED.value).save()
    invited_at = utcnow()
    assert await enqueue("send_due_surveys")
    await run_worker()
    (invitation,) = mailbox.to(ATTENDEE)
    link = survey_link(body_text(invitation))

    await sweep_at(invited_at + 3 * DAY - dt.timedelta(hours=1))
    assert len(mailbox.to(ATTENDEE)) == 1
    await sweep_at(invited_at + 3 * DAY + dt.timedelta(minutes=1))
    invitation, reminder = mailbox.to(ATTENDEE)
    assert mailbox.subjects()[-1] == f"Erinnerung: Ihre Meinung zu „{SURVEY_TITLE}“"
    assert survey_link(body_text(reminder)) == link

    page = await new_page(browser, live_server, viewport=PHONE)
    try:
        await page.goto(on_live_server(link, live_server))
        await expect(page.get_by_role("heading", name="Wie war es?")).to_be_visible()
        await expect(page.get_by_text(SURVEY_TITLE)).to_be_visible()
        await check(page)
        overall = page.get_by_role("group", name="Wie bewerten Sie das Angebot insgesamt?")
        await overall.get_by_role("radio", name="sehr gut", exact=False).first.check()
        for statement in (
            "Das Angebot war gut organisiert.",
            "Meine Mitwirkung hat etwas bewirkt.",
            "Ich würde anderen empfehlen mitzumachen.",
        ):
            await (
                page.get_by_role("group", name=statement)
                .get_by_role("radio", name="trifft voll zu")
                .check()
            )
        await page.get_by_role("button", name="Antworten absenden").click()
        await expect(
            page.get_by_role("heading", name="Vielen Dank für Ihre Rückmeldung!")
        ).to_be_visible()
        await check(page)
    finally:
        await page.context.close()

    # Answered: the 10-day reminder never arrives, and the sweep drops it from the outbox.
    await sweep_at(invited_at + 10 * DAY + dt.timedelta(minutes=1))
    await sweep_at(invited_at + 13 * DAY)
    reminders = await OutboxEmail.select(OutboxEmail.dedupe_key, OutboxEmail.status).where(
        OutboxEmail.dedupe_key.like("survey_reminder:%")
    )
    assert [(r["dedupe_key"].rsplit(":", 1)[1], r["status"]) for r in reminders] == [("3", "sent")]
    assert len(mailbox.to(ATTENDEE)) == 2


# --- 5. the officer's results and CSV ------------------------------------------------------------


async def results_and_csv(page: Page) -> None:
    await main_navigation(page, "Mitbewerten")
    await page.get_by_role("link", name=TITLE).click()
    completed = page.get_by_role("term").filter(has_text="Vollständige Antworten")
    await expect(completed.locator("xpath=following-sibling::dd")).to_have_text("3")
    await check(page)
    await page.get_by_role("link", name="Ergebnisse ansehen").click()
    await expect(page.get_by_role("heading", name="Ergebnisse je Halt")).to_be_visible()
    await expect(page.get_by_role("img", name="Lage der Halte der Begehung")).to_be_visible()
    listed = page.get_by_role("table", name="Halte der Begehung")
    await expect(listed.get_by_role("row")).to_have_count(4)
    for row, light in zip(
        ("1. Marktplatz", "2. Rathaus", "3. Stadtpark"),
        ("überwiegend erfüllt", "überwiegend nicht erfüllt", "teilweise erfüllt"),
        strict=True,
    ):
        await expect(listed.get_by_role("row", name=row)).to_contain_text(light)
    for name, light, share in (
        ("Marktplatz", "überwiegend erfüllt", "100"),
        ("Rathaus, Eingang Süd", "überwiegend nicht erfüllt", "0"),
        ("Stadtpark", "teilweise erfüllt", "67"),
    ):
        criteria = page.get_by_role("table", name=f"Prüfpunkte am Halt {name}")
        await expect(criteria.get_by_role("row")).to_have_count(CRITERIA + 1)
        for criterion in ("Beschilderung", ADDED):
            row = criteria.get_by_role("row", name=criterion, exact=False)
            await expect(row).to_contain_text(re.compile(rf"{light} \({share}\s%\)"))
    await expect(page.get_by_text(NOTE)).to_be_visible()
    await check(page)

    async with page.expect_download() as waiting:
        await page.get_by_role("link", name="Antworten als CSV-Datei herunterladen").click()
    download = await waiting.value
    content = (await download.path()).read_text(encoding="utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert len(rows) == 3
    assert len(header) == 3 + len(STOPS) * PER_STOP + 2
    assert all(len(row) == len(header) for row in rows)
    stop_columns = header[3 : 3 + len(STOPS) * PER_STOP]
    for number, (name, *_rest) in enumerate(STOPS, start=1):
        at_stop = stop_columns[(number - 1) * PER_STOP : number * PER_STOP]
        assert all(title.startswith(f"Halt {number} ({name}): ") for title in at_stop), at_stop
    assert f"Halt 3 (Stadtpark): {ADDED}" in stop_columns
    assert header[-2:] == [OVERALL, "Was sollte sich als Erstes ändern?"]
    signage = [
        header.index(next(t for t in stop_columns if t.startswith(f"Halt {n} "))) for n in (1, 2, 3)
    ]
    assert sorted(tuple(row[i] for i in signage) for row in rows) == [
        ("ja", "nein", "ja"),
        ("ja", "nein", "ja"),
        ("ja", "nein", "nein"),
    ]
    assert sorted(row[-2] for row in rows) == ["2", "3", "3"]
    assert sum(NOTE in row for row in rows) == 1


async def test_officer_builds_residents_answer_reminders_follow_officer_reads(
    browser: Browser, live_server: str, mailbox: Mailbox
) -> None:
    organisation = await make_organisation("Seniorenbüro Altstadt")
    officer = await make_officer(organisation)
    office = await new_page(browser, live_server)
    try:
        await create_assessment(office, officer.email)
        await add_stops(office)
        await preview(office)
        link = await public_link(office, live_server)

        await assessor_on_a_phone(browser, live_server, link)
        await resident_answers(browser, live_server, link, "lina@example.org", "ja")
        await resident_answers(browser, live_server, link, "jon@example.org", "nein")
        assert await Response.count().where(Response.completed.eq(True)) == 3

        await reminder_answered_in_the_browser(browser, live_server, mailbox, organisation)
        await results_and_csv(office)
    finally:
        await office.context.close()
