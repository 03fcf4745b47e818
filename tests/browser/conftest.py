"""Browser tests: the real app served by uvicorn in a subprocess, driven by headless Chromium.

The server shares the test database, Redis and SMTP server with the test process (it
inherits the environment set in tests/conftest.py), so tests seed rows with the factories
and run the worker in-process while the browser clicks through the pages."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from playwright.async_api import Browser, Page, async_playwright, expect

from tests.support.services import free_port

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def chromium_path() -> str:
    """A missing browser is a failure, never a skip: CI must not pass without these tests."""
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail(
            "Chromium not found: install Debian's chromium (make chromium) to run browser tests"
        )
    return path


@pytest.fixture(scope="session")
def live_server(database: None) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "boerse.cli", "serve", "--port", str(port)],
        env={**os.environ, "BASE_URL": f"http://127.0.0.1:{port}"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/impressum", timeout=1)  # noqa: S310 - loopback only
            break
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(process.stderr.read().decode()) from None
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("the live server did not start within 120 s")
    yield url
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        instance = await playwright.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_ARGS
        )
        yield instance
        await instance.close()


@pytest.fixture
async def page(browser: Browser, live_server: str) -> AsyncIterator[Page]:
    context = await browser.new_context(locale="de-DE", base_url=live_server)
    context.set_default_timeout(10_000)
    yield await context.new_page()
    await context.close()


async def axe_violations(page: Page) -> list[dict]:
    """WCAG 2.1 A/AA violations axe-core finds on the current page."""
    # Evaluated through the DevTools protocol: an inline <script> tag (add_script_tag) would
    # be refused by the site's Content-Security-Policy.
    await page.evaluate(AXE_SCRIPT.read_text())
    result = await page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
    ]


async def assert_accessible(page: Page) -> None:
    violations = await axe_violations(page)
    assert violations == [], violations


async def assert_fits_the_screen(page: Page) -> None:
    """Nothing sticks out sideways: a phone user never has to scroll the page horizontally."""
    overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{overflow} px wider than the screen"


def on_live_server(url: str, live_server: str) -> str:
    """A link from a mail or job that ran in the test process, whose BASE_URL may differ from
    the live server's: keep only path and query."""
    return urlunsplit(urlsplit(live_server)[:2] + urlsplit(url)[2:])


async def write_and_publish_reply(page: Page, title: str, learned: str, changes: str) -> None:
    """On an open reply form: fill it in, save the draft and publish it to the participants."""
    await page.get_by_label("Überschrift").fill(title)
    await page.get_by_label("Was wir erfahren haben").fill(learned)
    await page.get_by_label("Was sich ändert").fill(changes)
    await page.get_by_role("button", name="Entwurf speichern").click()
    await page.get_by_role(
        "button", name="Veröffentlichen und Teilnehmende benachrichtigen"
    ).click()
    await expect(page.get_by_role("link", name="Öffentliche Seite ansehen")).to_be_visible()
