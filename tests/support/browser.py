"""Browser tests in any folder: the real app served by uvicorn in a subprocess, driven by
headless Chromium, one server and one browser for the whole test session.

Registered as a plugin in tests/conftest.py, so a test anywhere asks for `page`, `browser`
or `live_server` by name. Starting the server costs seconds (on a loaded machine its imports
alone took half a minute), so it starts once, when the first browser test needs it. The
public fixtures are thin: the work sits in `shared_live_server` and `shared_chromium`. A
module that imports `live_server` or `browser` (older tests did) gets its own copy of the
thin fixture from pytest, and that copy asks for the one shared server and browser.

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
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from playwright.async_api import Browser, Page, ViewportSize, async_playwright

from boerse.accounts.auth import SESSION_COOKIE
from boerse.accounts.sessions import start_session
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
# 320 CSS px: a small phone, and a 1280 px screen at 400 % zoom (WCAG 1.4.10).
ZOOM_400: ViewportSize = {"width": 320, "height": 640}
# On a machine shared by many test runs the server's imports alone took 30 s and more.
SERVER_START_SECONDS = 180


def chromium_path() -> str:
    """A missing browser is a failure, never a skip: CI must not pass without these tests."""
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail(
            "Chromium not found: install Debian's chromium (make chromium) to run browser tests"
        )
    return path


@contextmanager
def app_server(**settings: str) -> Iterator[str]:
    """The app served by `boerse serve` in a subprocess on a free port, with the test
    environment plus `settings` (e.g. MAP_TILE_URL=...), until the block ends; yields its
    base URL. Its output goes to a file, not a pipe: a pipe nobody reads fills up over a
    long session and then blocks the server."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = Path(os.environ["BOERSE_VAR_DIR"]) / f"app-server-{port}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "boerse.cli", "serve", "--port", str(port)],
            env={**os.environ, "BASE_URL": url, **settings},
            stdout=subprocess.DEVNULL,
            stderr=output,
        )
    try:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while True:
            try:
                urllib.request.urlopen(f"{url}/impressum", timeout=1)  # noqa: S310 - loopback
                break
            except OSError:
                if process.poll() is not None:
                    pytest.fail(f"the app server stopped:\n{log.read_text()[-4000:]}")
                if time.monotonic() > deadline:
                    pytest.fail(f"the app server did not start within {SERVER_START_SECONDS} s")
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def shared_live_server(database: None) -> Iterator[str]:
    """The one app server of the session."""
    with app_server() as url:
        yield url


@pytest.fixture(scope="session")
def live_server(shared_live_server: str) -> str:
    """The base URL of the session's app server."""
    return shared_live_server


@pytest.fixture(scope="session")
async def shared_chromium() -> AsyncIterator[Browser]:
    """The one headless Chromium of the session; each test gets a fresh context of it."""
    async with async_playwright() as playwright:
        instance = await playwright.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_ARGS
        )
        yield instance
        await instance.close()


@pytest.fixture(scope="session")
def browser(shared_chromium: Browser) -> Browser:
    return shared_chromium


@pytest.fixture
async def page(browser: Browser, live_server: str) -> AsyncIterator[Page]:
    """A page of its own context (no cookies from other tests) at the default desktop size."""
    page = await new_page(browser, live_server)
    yield page
    await page.context.close()


async def new_page(
    browser: Browser,
    live_server: str,
    *,
    viewport: ViewportSize | None = None,
    user_id: int | None = None,
    **options: Any,
) -> Page:
    """A page in a fresh German context, signed in as `user_id` when given (a real session
    cookie, as after logging in); `options` go to Playwright's `new_context`. The caller
    closes `page.context`."""
    if viewport is not None:
        options["viewport"] = viewport
    context = await browser.new_context(locale="de-DE", base_url=live_server, **options)
    context.set_default_timeout(10_000)
    if user_id is not None:
        token = await start_session(user_id)
        await context.add_cookies([{"name": SESSION_COOKIE, "value": token, "url": live_server}])
    return await context.new_page()


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


# Sideways overflow of the page, and controls that cannot be seen without scrolling sideways,
# inside the page or inside a scroll box (KERN's .kern-table-responsive wrapper).
REFLOW_PROBLEMS = r"""() => {
  // What a click opens (the results' "Als Tabelle anzeigen") has to fit as well.
  for (const details of document.querySelectorAll('main details')) details.open = true;
  const problems = [];
  const overflow = document.documentElement.scrollWidth - window.innerWidth;
  if (overflow > 0) problems.push(`page ${overflow} px wider than the screen`);
  const width = document.documentElement.clientWidth;
  for (const element of document.querySelectorAll('main *')) {
    const style = getComputedStyle(element);
    // A data table may scroll in a box of its own (1.4.10 exempts it) if the keyboard can
    // reach and scroll the box and a screen reader can name it.
    const reachable = element.tabIndex >= 0 && element.getAttribute('role') === 'region'
      && (element.hasAttribute('aria-label') || element.hasAttribute('aria-labelledby'));
    if (['auto', 'scroll'].includes(style.overflowX) && !reachable
        && element.scrollWidth > element.clientWidth + 1) {
      problems.push(`${element.tagName.toLowerCase()}.${element.classList[0]} scrolls sideways by `
        + `${element.scrollWidth - element.clientWidth} px`);
    }
  }
  const controls = document.querySelectorAll(
    'main a[href], main button, main input:not([type=hidden]), main select, main textarea');
  const offScreen = [];
  for (const control of controls) {
    const box = control.getBoundingClientRect();
    if (box.width === 0 || control.closest('.kern-sr-only')) continue;
    const clipped = control.closest('.kern-table-responsive');
    const visibleRight = clipped ? clipped.getBoundingClientRect().right : width;
    if (box.right > visibleRight + 1 || box.left < -1) {
      const name = (control.innerText || control.name || control.id || '').trim().split('\n')[0];
      offScreen.push(`${control.tagName.toLowerCase()} "${name.slice(0, 20)}" `
        + `(${Math.round(box.left)}–${Math.round(box.right)} px)`);
    }
  }
  if (offScreen.length) {
    problems.push(`${offScreen.length} controls off-screen: ${offScreen.slice(0, 2).join(', ')}`);
  }
  return problems;
}"""


async def reflow_problems(page: Page) -> list[str]:
    """What keeps the page from reflowing (WCAG 1.4.10): empty when it fits its width."""
    return await page.evaluate(REFLOW_PROBLEMS)


async def assert_fits_the_screen(page: Page) -> None:
    """Nothing sticks out sideways: a phone user never has to scroll the page horizontally."""
    overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{overflow} px wider than the screen"


def on_live_server(url: str, live_server: str) -> str:
    """A link from a mail or job that ran in the test process, whose BASE_URL may differ from
    the live server's: keep only path and query."""
    return urlunsplit(urlsplit(live_server)[:2] + urlsplit(url)[2:])
