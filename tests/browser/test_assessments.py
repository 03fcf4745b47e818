"""Standalone assessments in Chromium at 360 px: a resident opens the public link (as a QR
code would), logs in, answers both pages (one error on the way) and sees the thank-you page;
an officer creates a campaign, sees its link and QR code, the poster and the invitation
form. Every page is checked with axe-core and must not scroll sideways."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.async_api import Page, expect

from boerse.assessments.tables import Assessment, AssessmentAccess, AssessmentParticipant
from boerse.lib.db import utcnow
from boerse.lib.formatting import local
from boerse.questionnaires.tables import Response
from tests.assessments.helpers import make_assessment
from tests.browser.conftest import assert_accessible, assert_fits_the_screen
from tests.support.factories import PASSWORD, make_officer, make_organisation, make_user

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
TITLE = "Zeig uns deinen Lieblingsplatz"


async def check(page: Page) -> None:
    await assert_accessible(page)
    await assert_fits_the_screen(page)


async def test_resident_answers_through_the_public_link(page: Page) -> None:
    organisation = await make_organisation(name="Stadtplanungsamt")
    assessment = await make_assessment(organisation, title=TITLE)
    resident = await make_user(email="lina@example.org")
    await page.set_viewport_size(PHONE)

    await page.goto("/mitbewerten")
    await check(page)
    await page.get_by_role("link", name=TITLE).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    await expect(page.get_by_text("anonym gespeichert", exact=False)).to_be_visible()
    await check(page)

    await page.get_by_role("link", name="Jetzt mitmachen").click()
    await page.get_by_label("E-Mail-Adresse").fill(resident.email)
    await page.get_by_label("Passwort").fill(PASSWORD)
    await page.get_by_role("button", name="Anmelden").click()
    await expect(page.get_by_text("Seite 1 von 2")).to_be_visible()
    await check(page)

    # The rating is missing: the page comes back with the chosen place still chosen.
    place = page.get_by_role("group", name="Wo ist Ihr Lieblingsplatz?")
    await place.get_by_role("radio", name="Stadtpark").check()
    await page.get_by_role("button", name="Speichern und weiter").click()
    await expect(page.locator(".error-summary")).to_be_visible()
    await expect(place.get_by_role("radio", name="Stadtpark")).to_be_checked()
    await check(page)

    rating = page.get_by_role("group", name="Wie gern sind Sie dort?")
    await rating.get_by_role("radio").last.check()
    await page.get_by_role("button", name="Speichern und weiter").click()
    await expect(page.get_by_text("Seite 2 von 2")).to_be_visible()
    await check(page)
    await page.get_by_label("Was macht ihn besonders?", exact=False).fill("Die alten Bäume.")
    await page.get_by_role("button", name="Antworten absenden").click()

    await expect(
        page.get_by_role("heading", name="Vielen Dank für Ihre Antworten!")
    ).to_be_visible()
    await check(page)
    assert await Response.count().where(Response.completed.eq(True)) == 1
    assert (
        await AssessmentParticipant.count().where(AssessmentParticipant.assessment == assessment.id)
        == 1
    )

    await page.goto(f"/mitbewerten/{assessment.slug}/antworten")
    await expect(page.get_by_role("heading", name="Sie haben schon geantwortet")).to_be_visible()
    await check(page)


async def test_officer_creates_a_campaign_and_prints_its_poster(page: Page) -> None:
    organisation = await make_organisation(name="Jugendamt")
    officer = await make_officer(organisation)
    await page.set_viewport_size(PHONE)

    await page.goto("/verwaltung/mitbewerten")
    await page.get_by_label("E-Mail-Adresse").fill(officer.email)
    await page.get_by_label("Passwort").fill(PASSWORD)
    await page.get_by_role("button", name="Anmelden").click()
    await expect(page.get_by_role("heading", name="Bewertungen verwalten")).to_be_visible()
    await check(page)
    await page.get_by_role("link", name="Neue Bewertung anlegen").click()

    # An end before the start: the form comes back with everything typed.
    today = local(utcnow()).date()
    await page.get_by_label("Titel").fill("Wie gut ist unser Jugendzentrum?")
    await page.get_by_label("Fragebogen").select_option(
        label="Vorlage: Jugend-Check: Wie gut ist unser Angebot für dich? (DE)"
    )
    await page.get_by_label("Ende").fill((today - dt.timedelta(days=1)).isoformat())
    await page.get_by_label("Nur Eingeladene", exact=False).check()
    await page.get_by_role("button", name="Bewertung anlegen").click()
    await expect(page.locator(".error-summary")).to_be_visible()
    await expect(page.get_by_label("Titel")).to_have_value("Wie gut ist unser Jugendzentrum?")
    await check(page)
    await page.get_by_label("Ende").fill((today + dt.timedelta(days=14)).isoformat())
    await page.get_by_role("button", name="Bewertung anlegen").click()

    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Wie gut ist unser Jugendzentrum?"
    )
    assessment = await Assessment.objects().first()
    assert assessment.access == AssessmentAccess.LINK
    await expect(page.get_by_role("img", name="QR-Code", exact=False)).to_be_visible()
    await expect(
        page.get_by_role("link", name=f"/mitbewerten/{assessment.slug}", exact=False)
    ).to_be_visible()
    await check(page)

    await page.get_by_label("E-Mail-Adressen").fill("mia@example.org\nkaputt")
    await page.get_by_role("button", name="Einladungen verschicken").click()
    await expect(page.locator(".error-summary")).to_contain_text("kaputt")
    await expect(page.get_by_label("E-Mail-Adressen")).to_have_value("mia@example.org\nkaputt")
    await check(page)

    await page.get_by_role("link", name="Plakat mit QR-Code drucken").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Wie gut ist unser Jugendzentrum?"
    )
    await check(page)
    await page.emulate_media(media="print")
    await expect(page.locator(".site-header")).to_be_hidden()
    await expect(page.locator(".poster__qr")).to_be_visible()
