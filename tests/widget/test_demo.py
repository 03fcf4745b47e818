"""The demo town allows one website, so the snippet builder has something to show."""

from __future__ import annotations

import pytest

from boerse.demo.loader import load_demo
from boerse.demo.widget import DEMO_HOST
from boerse.widget import services


@pytest.mark.slow
async def test_the_demo_town_allows_one_local_website(client) -> None:
    assert await load_demo() is True

    assert [host.origin for host in await services.hosts()] == [DEMO_HOST]
    response = await client.get("/einbetten/angebote")
    assert f"frame-ancestors 'self' {DEMO_HOST};" in response.headers["content-security-policy"]
    assert 'id="angebot-' in response.text
