"""The requirement pages at 320 px with axe-core, on the demo town: the same checks as the
reflow tour (tests/browser/test_reflow.py), which also visits them, run here on their own."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser

from boerse.demo.loader import RESIDENT_LOGIN, load_demo
from boerse.demo.town import ADMIN
from boerse.requirements.tables import RequirementRecord
from tests.browser.test_reflow import requirement_paths, signed_in_page, tour

pytestmark = pytest.mark.browser


async def test_requirement_pages_reflow_and_pass_axe(browser: Browser, live_server: str) -> None:
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
