"""The page that describes the API for people: every operation of the served document, the
links to it, reachable from the open-data page; accessible and 320 px wide in Chromium."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser

from tests.support.browser import assert_accessible, assert_fits_the_screen, new_page


async def test_page_lists_every_operation_of_the_document(client) -> None:
    schema = (await client.get("/api/v1/openapi.json")).json()

    response = await client.get("/schnittstelle")

    assert response.status_code == 200
    for path in schema["paths"]:
        assert path in response.text
    assert 'href="/api/v1/openapi.json"' in response.text
    assert 'href="/api/v1/openapi.yaml"' in response.text
    assert "changed_since" in response.text
    open_data = await client.get("/ergebnisse/offene-daten")
    assert 'href="/schnittstelle"' in open_data.text


@pytest.mark.browser
@pytest.mark.slow
async def test_docs_page_is_accessible_at_320_px(browser: Browser, live_server: str) -> None:
    page = await new_page(browser, live_server, viewport={"width": 320, "height": 720})
    try:
        await page.goto("/ergebnisse/offene-daten")
        await page.get_by_role("link", name="offene Schnittstelle (API)").click()
        await page.get_by_role("heading", name="Offene Schnittstelle (API)", level=1).wait_for()
        await assert_accessible(page)
        await assert_fits_the_screen(page)
    finally:
        await page.context.close()
