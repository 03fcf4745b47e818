"""Every kind of page under the Content-Security-Policy in Chromium: nothing is refused.

A violation shows as a `securitypolicyviolation` event in the page and as a console message
("Refused to apply inline style …"); both are collected from the first byte of each page on,
for anonymous visitors, a resident, an officer and an admin."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, BrowserContext, ConsoleMessage

from boerse.accounts.auth import SESSION_COOKIE
from boerse.accounts.sessions import start_session
from boerse.accounts.tables import Role
from boerse.opportunities.tables import Attendance
from tests.dashboards.answers import answer_feedback
from tests.support.factories import (
    make_officer,
    make_opportunity,
    make_organisation,
    make_profile,
    make_user,
)
from tests.surveys.helpers import make_invitation, make_signup, past_session

pytestmark = pytest.mark.browser

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample}`);
});
"""


async def watched_context(
    browser: Browser, live_server: str, user_id: int | None, problems: list[str]
) -> BrowserContext:
    context = await browser.new_context(locale="de-DE", base_url=live_server)
    context.set_default_timeout(10_000)
    await context.add_init_script(RECORD_VIOLATIONS)
    if user_id is not None:
        await context.add_cookies(
            [{"name": SESSION_COOKIE, "value": await start_session(user_id), "url": live_server}]
        )

    def on_console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            problems.append(message.text)

    context.on("console", on_console)
    return context


async def visit_all(
    browser: Browser, live_server: str, user_id: int | None, paths: list[str]
) -> list[str]:
    problems: list[str] = []
    context = await watched_context(browser, live_server, user_id, problems)
    try:
        page = await context.new_page()
        for path in paths:
            response = await page.goto(path)
            assert response is not None and response.status < 500, path
            assert response.headers.get("content-security-policy"), path
            await page.wait_for_load_state("load")
            seen = await page.evaluate("window.__violations")
            problems.extend(f"{path}: {violation}" for violation in seen)
    finally:
        await context.close()
    return problems


async def test_no_page_violates_the_content_security_policy(
    browser: Browser, live_server: str
) -> None:
    organisation = await make_organisation("Grünflächenamt")
    officer = await make_officer(organisation)
    admin = await make_user(role=Role.ADMIN)
    resident = await make_user()
    await make_profile(resident)
    opportunity = await make_opportunity(organisation)
    session = await past_session(opportunity)
    survey_token = await make_invitation(
        await make_signup(session, attendance=Attendance.ATTENDED, hours=2)
    )
    for index in range(6):  # enough for the public results and the officer's bars
        await answer_feedback(opportunity, overall=5 - index % 3, comment=f"Anmerkung {index}")
    detail = f"/angebote/{opportunity.id}"
    manage = f"/verwaltung/angebote/{opportunity.id}"

    anonymous = [
        "/",
        "/angebote",
        detail,
        "/ergebnisse",
        f"/ergebnisse/{opportunity.id}",
        "/konto/anmelden",
        "/konto/registrieren",
        "/konto/passwort-vergessen",
        "/impressum",
        "/datenschutz",
        "/barrierefreiheit",
        f"/umfrage/{survey_token}",
        "/umfrage/unbekannt",
        "/gibt-es-nicht",
        "/static/app.css",
    ]
    resident_pages = ["/konto", "/profil", "/profil/daten", "/meine-termine", "/empfehlungen"]
    officer_pages = [
        "/verwaltung/angebote",
        "/verwaltung/angebote/neu",
        manage,
        f"{manage}/termine",
        f"{manage}/ergebnisse",
        f"/verwaltung/termine/{session.id}/teilnehmende",
    ]
    admin_pages = ["/admin", "/admin/konten", "/admin/organisationen", "/admin/versand"]

    problems = await visit_all(browser, live_server, None, anonymous)
    problems += await visit_all(browser, live_server, resident.id, resident_pages)
    problems += await visit_all(browser, live_server, officer.id, officer_pages)
    problems += await visit_all(browser, live_server, admin.id, admin_pages)
    assert problems == []


async def test_a_form_with_errors_violates_nothing(browser: Browser, live_server: str) -> None:
    problems: list[str] = []
    context = await watched_context(browser, live_server, None, problems)
    try:
        page = await context.new_page()
        await page.goto("/konto/registrieren")
        await page.get_by_role("button", name="Konto anlegen").click()
        await page.wait_for_load_state("load")
        assert await page.locator(".error-summary").count() == 1
        problems += await page.evaluate("window.__violations")
    finally:
        await context.close()
    assert problems == []


async def test_result_bars_are_drawn_without_inline_styles(
    browser: Browser, live_server: str
) -> None:
    """The bars are SVG rects sized by attribute: each track spans its card, each bar's
    length is its share of the track."""
    opportunity = await make_opportunity(await make_organisation())
    for overall in (5, 5, 5, 4, 4, 3):
        await answer_feedback(opportunity, overall=overall)
    problems: list[str] = []
    context = await watched_context(browser, live_server, None, problems)
    try:
        page = await context.new_page()
        await page.goto(f"/ergebnisse/{opportunity.id}")
        sizes = await page.eval_on_selector_all(
            ".bar",
            "bars => bars.map(b => [b.getBoundingClientRect().width,"
            " b.querySelector('rect').getBoundingClientRect().width])",
        )
        problems += await page.evaluate("window.__violations")
    finally:
        await context.close()
    assert problems == []
    tracks = {round(track) for track, _ in sizes}
    assert len(tracks) == 1 and tracks.pop() > 600, sizes
    # The overall rating from "1 – sehr schlecht" to "5 – sehr gut": 0, 0, 1, 2 and 3 of 6.
    track = sizes[0][0]
    for (_, bar), answers in zip(sizes[:5], (0, 0, 1, 2, 3), strict=True):
        assert abs(bar - track * answers / 6) < 1, sizes
