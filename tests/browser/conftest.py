"""What only the tests in this folder share. The browser fixtures and helpers (`live_server`,
`browser`, `page`, `axe_violations`, ...) live in tests/support/browser.py, a plugin for the
whole suite; they are imported here too, so `from tests.browser.conftest import ...` keeps
working, and still share the session's one server and one Chromium."""

from __future__ import annotations

from playwright.async_api import Page, expect

from tests.support.browser import (  # noqa: F401 - re-exported for older imports
    AXE_SCRIPT,
    CHROMIUM_ARGS,
    assert_accessible,
    assert_fits_the_screen,
    axe_violations,
    browser,
    chromium_path,
    live_server,
    new_page,
    on_live_server,
    page,
)


async def write_and_publish_reply(form: Page, title: str, learned: str, changes: str) -> None:
    """On an open reply form: fill it in, save the draft and publish it to the participants."""
    await form.get_by_label("Überschrift").fill(title)
    await form.get_by_label("Was wir erfahren haben").fill(learned)
    await form.get_by_label("Was sich ändert").fill(changes)
    await form.get_by_role("button", name="Entwurf speichern").click()
    await form.get_by_role(
        "button", name="Veröffentlichen und Teilnehmende benachrichtigen"
    ).click()
    await expect(form.get_by_role("link", name="Öffentliche Seite ansehen")).to_be_visible()
