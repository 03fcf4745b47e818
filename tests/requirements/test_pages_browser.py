"""The requirement pages at 320 px with axe-core, on the demo town: the same checks as the
reflow tour (tests/browser/test_reflow.py), which also visits them, run here on their own."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator

import pytest
from playwright.async_api import Browser

from boerse.demo.loader import RESIDENT_LOGIN, load_demo
from boerse.demo.town import ADMIN
from boerse.requirements.tables import RequirementRecord
from tests.browser.conftest import browser  # noqa: F401 - fixture
from tests.browser.test_reflow import requirement_paths, signed_in_page, tour
from tests.support.services import free_port

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live_server(database: None) -> Iterator[str]:
    """As tests/browser's, but patient: on a machine shared by many test runs the server's
    imports alone took 30 s."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [sys.executable, "-m", "boerse.cli", "serve", "--port", str(port)],
        env={**os.environ, "BASE_URL": url},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 180
    while process.poll() is None and time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/impressum", timeout=1)  # noqa: S310 - loopback only
            break
        except OSError:
            time.sleep(0.5)
    else:
        process.kill()
        pytest.fail("the live server did not start")
    yield url
    process.terminate()
    process.wait(timeout=10)


async def test_requirement_pages_reflow_and_pass_axe(browser: Browser, live_server: str) -> None:  # noqa: F811
    assert await load_demo() is True
    paths = await requirement_paths()
    found: dict[str, list] = {}
    for email, kind in ((None, "public"), (RESIDENT_LOGIN, "resident"), (ADMIN.email, "admin")):
        page = await signed_in_page(browser, live_server, email)
        await tour(page, paths[kind], found)
        await page.context.close()
    # A person with a recorded certificate sees it on their own page.
    person = (
        await RequirementRecord.select(RequirementRecord.user.email.as_alias("email"))
        .where(RequirementRecord.qualification.is_null())
        .first()
    )
    page = await signed_in_page(browser, live_server, person["email"])
    await tour(page, ["/profil/nachweise"], found)
    assert await page.get_by_text("Ausgestellt am").count() >= 1
    await page.context.close()
    assert found == {}, "\n".join(f"{path}: {problems}" for path, problems in found.items())
