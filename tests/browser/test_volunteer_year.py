"""Journeys of the volunteer's year in headless Chromium (issue 12's "done when"):

- a guest signs up without an account, confirms by the mailed link, checks in by the QR
  link at the place, answers the follow-up survey and later turns the guest sign-up into an
  account that keeps the history;
- an officer creates a weekly series, moves one date (its participant gets the change by
  mail), writes to the participants and checks people in by code on a phone.

The real worker delivers every mail to the real SMTP server; every page on the way is
checked with axe-core and for sideways scrolling at phone width."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.async_api import Browser, Page, expect

from boerse.accounts.tables import Role, User
from boerse.checkin.services import ensure_code
from boerse.lib.formatting import TOWN_TIMEZONE
from boerse.lib.queue import enqueue
from boerse.opportunities.tables import (
    Attendance,
    OpportunitySeries,
    OpportunitySession,
    SignUp,
)
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

PHONE = {"width": 360, "height": 780}
GUEST = "greta.gast@example.org"
OVERALL = "Wie bewerten Sie das Angebot insgesamt?"


async def checked(page: Page) -> None:
    """Every page of a journey: no axe violations, nothing wider than the phone."""
    await assert_accessible(page)
    await assert_fits_the_screen(page)


async def link_from_mail(mailbox: Mailbox, recipient: str, part: str, live_server: str) -> str:
    """The newest link containing `part` in the newest mail to `recipient`."""
    await run_worker()
    mails = mailbox.to(recipient)
    assert mails, f"no mail to {recipient}"
    (link,) = [url for url in links_in(body_text(mails[-1])) if part in url][:1]
    return on_live_server(link, live_server)


async def answer_survey(page: Page, link: str) -> None:
    await page.goto(link)
    await expect(page.get_by_role("heading", name="Wie war es?")).to_be_visible()
    await checked(page)
    await page.get_by_role("group", name=OVERALL).get_by_role("radio").last.check()
    for statement in (
        "Das Angebot war gut organisiert.",
        "Meine Mitwirkung hat etwas bewirkt.",
        "Ich würde anderen empfehlen mitzumachen.",
    ):
        group = page.get_by_role("group", name=statement)
        await group.get_by_role("radio", name="trifft voll zu").check()
    await page.get_by_role("button", name="Antworten absenden").click()
    await expect(
        page.get_by_role("heading", name="Vielen Dank für Ihre Rückmeldung!")
    ).to_be_visible()
    await checked(page)


async def test_guest_signs_up_checks_in_answers_and_keeps_the_history(
    page: Page, live_server: str, mailbox: Mailbox
) -> None:
    organisation = await make_organisation("Bürgerverein Gohlis")
    offer = await make_opportunity(organisation, title="Müllsammeln am Auensee")
    date = await make_session(offer, starts_in=dt.timedelta(minutes=30), capacity=5)
    await page.set_viewport_size(PHONE)

    # Sign up without an account: name, address, consent; nothing holds a place yet.
    await page.goto(f"/angebote/{offer.id}")
    await page.get_by_role("link", name="Ohne Konto anmelden").first.click()
    await checked(page)
    await page.get_by_label("Name").fill("Greta Gast")
    await page.get_by_label("E-Mail-Adresse").fill(GUEST)
    await page.get_by_role("button", name="Anmeldung per E-Mail bestätigen").click()
    await expect(page.locator(".error-summary")).to_be_visible()
    await expect(page.get_by_label("E-Mail-Adresse")).to_have_value(GUEST)
    await checked(page)
    await page.locator("#f-consent").check()
    await page.get_by_role("button", name="Anmeldung per E-Mail bestätigen").click()
    await checked(page)
    assert await SignUp.count() == 0

    # The mailed link confirms; the personal page opens and is remembered by the browser.
    await page.goto(await link_from_mail(mailbox, GUEST, "/gast/bestaetigen/", live_server))
    await checked(page)
    await page.get_by_role("button", name="Ja, verbindlich anmelden").click()
    await expect(page.get_by_text("Müllsammeln am Auensee").first).to_be_visible()
    await checked(page)
    personal = await link_from_mail(mailbox, GUEST, "/anmeldung/", live_server)

    # At the place: the QR code's link checks the guest in without any login.
    code = await ensure_code(date.id)
    await page.goto(f"/einchecken/{code}")
    await expect(page.get_by_text("Sie sind eingecheckt")).to_be_visible()
    await checked(page)
    (signup,) = await SignUp.select(SignUp.id, SignUp.attendance, SignUp.checkin_method)
    assert signup["attendance"] == Attendance.ATTENDED.value
    assert signup["checkin_method"] == "code"

    # After the date: the survey reaches the guest and opens without login.
    await OpportunitySession.update(
        {
            OpportunitySession.starts_at: OpportunitySession.starts_at - dt.timedelta(days=1),
            OpportunitySession.ends_at: OpportunitySession.ends_at - dt.timedelta(days=1),
        }
    ).where(OpportunitySession.id == date.id)
    assert await enqueue("send_due_surveys")
    await answer_survey(page, await link_from_mail(mailbox, GUEST, "/umfrage/", live_server))

    # Later: one form on the personal page makes an account of the same row.
    await page.goto(personal)
    await page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    await page.get_by_label("Passwort wiederholen").fill(PASSWORD)
    await page.locator("#f-consent").check()
    await page.get_by_role("button", name="Konto anlegen").click()
    await expect(page).to_have_url(re.compile(r"/profil"))
    await checked(page)
    (account,) = await User.select(User.id, User.role).where(User.email == GUEST)
    assert account["role"] == Role.RESIDENT.value
    history = await SignUp.select(SignUp.user, SignUp.attendance).where(SignUp.id == signup["id"])
    assert history == [{"user": account["id"], "attendance": Attendance.ATTENDED.value}]
    await page.goto("/mein-engagement")
    await expect(page.get_by_text("Müllsammeln am Auensee").first).to_be_visible()
    await checked(page)


async def log_in(page: Page, email: str) -> None:
    await page.goto("/konto/anmelden")
    await page.get_by_label("E-Mail-Adresse").fill(email)
    await page.get_by_label("Passwort").fill(PASSWORD)
    await page.get_by_role("button", name="Anmelden").click()
    await expect(page.get_by_role("link", name="Verwaltung").first).to_be_visible()


def next_weekday(weekday: int) -> dt.date:
    today = dt.datetime.now(TOWN_TIMEZONE).date()
    return today + dt.timedelta(days=(weekday - today.weekday()) % 7 or 7)


async def test_officer_runs_a_weekly_series_writes_to_participants_and_checks_in(
    page: Page, browser: Browser, live_server: str, mailbox: Mailbox
) -> None:
    organisation = await make_organisation("Repair-Café Plagwitz")
    officer = await make_officer(organisation)
    offer = await make_opportunity(organisation, title="Repair-Café")
    resident = await make_user(email="ruth@example.org", display_name="Ruth Reparatur")
    await log_in(page, officer.email)

    # A weekly series of four Saturdays.
    await page.goto(f"/verwaltung/angebote/{offer.id}/termine")
    await checked(page)
    first = next_weekday(5)
    await page.get_by_label("Wiederholung").select_option("weekly")
    await page.get_by_label("Erster Termin").fill(first.isoformat())
    await page.get_by_label("Uhrzeit des Beginns").fill("10:00")
    await page.get_by_label("Dauer in Minuten").fill("180")
    await page.get_by_label("Anzahl der Termine").fill("4")
    await page.get_by_role("button", name="Terminserie anlegen").click()
    await checked(page)
    assert len(await OpportunitySeries.select(OpportunitySeries.id)) == 1
    dates = await OpportunitySession.select(OpportunitySession.id).order_by(
        OpportunitySession.starts_at
    )
    assert len(dates) == 4
    second = dates[1]["id"]

    # Ruth signs up for the second Saturday; the officer moves that one date to Sunday.
    from boerse.opportunities.signups import sign_up

    await sign_up(resident.id, second)
    await run_worker()
    mailbox.clear()
    await page.goto(f"/verwaltung/angebote/{offer.id}/termine/{second}/serie")
    await checked(page)
    await page.get_by_role("link", name="Nur diesen Termin bearbeiten").click()
    await checked(page)
    sunday = first + dt.timedelta(days=8)
    await page.get_by_label("Datum").fill(sunday.isoformat())
    await page.get_by_role("button", name="Termin speichern").click()
    await checked(page)
    await run_worker()
    (changed,) = mailbox.to(resident.email)
    assert mailbox.subjects() == ["Geänderter Termin: Repair-Café"]
    text = body_text(changed)
    now_line = text[text.index("Jetzt") :].splitlines()[0]
    assert f"{sunday.day}." in now_line, now_line
    mailbox.clear()

    # A message to everyone with a place on that date.
    await page.goto(f"/verwaltung/nachrichten/angebot/{offer.id}/neu?termin={second}")
    await checked(page)
    await page.get_by_label("Betreff").fill("Bitte Werkzeug mitbringen")
    await page.get_by_label("Nachricht").fill("Wer hat, bringt bitte einen Lötkolben mit.")
    await page.get_by_role("button", name="Nachricht verschicken").click()
    await checked(page)
    await run_worker()
    assert mailbox.to(resident.email)
    assert any("Bitte Werkzeug mitbringen" in subject for subject in mailbox.subjects())

    # On the day, on a phone: the officer ticks Ruth off on the check-in list.
    await OpportunitySession.update(
        {
            OpportunitySession.starts_at: dt.datetime.now(dt.UTC) - dt.timedelta(minutes=10),
            OpportunitySession.ends_at: dt.datetime.now(dt.UTC) + dt.timedelta(hours=2),
        }
    ).where(OpportunitySession.id == second)
    await page.set_viewport_size(PHONE)
    await page.goto(f"/verwaltung/termine/{second}/aushang")
    code = await ensure_code(second)
    await expect(page.get_by_text(code).first).to_be_visible()
    await checked(page)
    await page.goto(f"/verwaltung/termine/{second}/einchecken")
    await checked(page)
    await page.get_by_role("button", name="anwesend").first.click()
    await checked(page)
    (ruth,) = await SignUp.select(SignUp.attendance, SignUp.checkin_method).where(
        SignUp.user == resident.id
    )
    assert ruth["attendance"] == Attendance.ATTENDED.value
