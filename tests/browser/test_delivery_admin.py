"""The admin page "Versand" in headless Chromium: reached from the admin navigation,
free of axe-core violations, no sideways scrolling on a 320 px phone, and its retry
button works with JavaScript switched off."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, Page, expect

from boerse.accounts.tables import Role
from boerse.lib.db import utcnow
from boerse.operations.services import record_heartbeat
from boerse.outbox.tables import OutboxEmail
from tests.browser.conftest import assert_accessible, assert_fits_the_screen
from tests.outbox.factories import make_email
from tests.support.factories import PASSWORD, make_user
from tests.support.fixtures import run_worker
from tests.support.services import Mailbox

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}
ADMIN = "admin@lindenau.example"
BOUNCED = "lena.schmidt@bounce.example"


async def seed() -> int:
    await make_user(email=ADMIN, role=Role.ADMIN)
    await record_heartbeat("lindenau-worker-1:4711", "running", utcnow())
    for hours in (1, 2, 2, 5):
        await make_email("sent", sent_at=utcnow() - dt.timedelta(hours=hours))
    later = utcnow() + dt.timedelta(minutes=8)
    await make_email(recipient="max@stuck.example", attempts=3, next_attempt_at=later)
    failed = await make_email(
        "failed",
        recipient=BOUNCED,
        kind="waitlist_promoted",
        attempts=1,
        last_error="refused (550)",
    )
    return failed.id


async def log_in_to_delivery(page: Page) -> None:
    await page.goto("/konto/anmelden?next=/admin")
    await page.get_by_label("E-Mail-Adresse").fill(ADMIN)
    await page.get_by_label("Passwort").fill(PASSWORD)
    await page.get_by_role("button", name="Anmelden").click()
    await expect(page.get_by_text("1 E-Mail konnte nicht zugestellt werden")).to_be_visible()
    await (
        page.get_by_role("navigation", name="Administration")
        .get_by_role("link", name="Versand")
        .click()
    )
    await expect(page.get_by_role("heading", name="Versand", level=1)).to_be_visible()


@pytest.fixture
async def plain_phone(browser: Browser, live_server: str) -> AsyncIterator[Page]:
    context = await browser.new_context(
        locale="de-DE", base_url=live_server, viewport=NARROW, java_script_enabled=False
    )
    context.set_default_timeout(10_000)
    yield await context.new_page()
    await context.close()


async def test_delivery_page_is_accessible_and_fits_a_phone(page: Page) -> None:
    await seed()
    await page.set_viewport_size(NARROW)
    await log_in_to_delivery(page)

    await expect(
        page.get_by_role("table", name="Versendete und nicht zugestellte E-Mails je Stunde")
    ).to_be_visible()
    await expect(page.locator("td[data-label='Empfänger-Domain']")).to_have_text(
        ["bounce.example", "stuck.example"]
    )
    assert BOUNCED not in await page.content()
    await assert_fits_the_screen(page)
    await assert_accessible(page)

    await page.set_viewport_size({"width": 1280, "height": 800})
    await assert_accessible(page)


async def test_retry_button_works_without_javascript(plain_phone: Page, mailbox: Mailbox) -> None:
    failed_id = await seed()
    await log_in_to_delivery(plain_phone)

    await plain_phone.get_by_role("button", name="Erneut versuchen – waitlist_promoted").click()

    await expect(plain_phone.get_by_text("Die E-Mail wird erneut versendet.")).to_be_visible()
    await expect(plain_phone.get_by_text("Nicht zugestellt: 0. Hängend: 1.")).to_be_visible()
    await assert_fits_the_screen(plain_phone)
    await run_worker()
    row = await OutboxEmail.select(OutboxEmail.status).where(OutboxEmail.id == failed_id).first()
    assert row["status"] == "sent"
    assert mailbox.to(BOUNCED)
