"""Static pages in a real browser: German, keyboard reachable, no WCAG 2.1 AA violations."""

from __future__ import annotations

import pytest
from playwright.async_api import Page

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser


async def test_imprint_is_german_and_accessible(page: Page) -> None:
    await page.goto("/impressum")
    assert await page.get_attribute("html", "lang") == "de"
    assert await page.title() == "Impressum – Mitmach-Börse Lindenau"
    await assert_accessible(page)


async def test_skip_link_moves_focus_to_the_content(page: Page) -> None:
    await page.goto("/datenschutz")
    await page.keyboard.press("Tab")
    assert await page.evaluate("document.activeElement.textContent.trim()") == "Zum Inhalt springen"
    await page.keyboard.press("Enter")
    assert await page.evaluate("document.activeElement.id") == "inhalt"
