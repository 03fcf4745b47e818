"""The development mailbox shows whole mails with valid links: only in development mode,
never with PostgreSQL, and only to a request straight from the machine itself."""

from __future__ import annotations

import dataclasses

import httpx
import pytest

from boerse.outbox.rules import may_read_dev_mailbox
from boerse.settings import Settings, get_settings
from tests.outbox.helpers import queue_test_email

PAGE = "/dev/mail"


async def get_from(app, host: str, headers: dict[str, str] | None = None) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, client=(host, 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        return await http.get(PAGE, headers=headers or {})


async def test_a_developer_at_the_machine_reads_the_mails_with_their_links(app) -> None:
    """The suite runs with BOERSE_DEV=1: on SQLite that is development mode, on PostgreSQL
    it is not (a PostgreSQL database is taken for production), and the page is not there."""
    await queue_test_email()

    response = await get_from(app, "127.0.0.1")

    if get_settings().is_sqlite:
        assert response.status_code == 200
        assert "http://127.0.0.1:8000/x" in response.text
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("host", ["203.0.113.7", "10.0.0.2", "::ffff:192.0.2.1", "testclient"])
async def test_anyone_else_finds_no_such_page(app, host: str) -> None:
    await queue_test_email()

    response = await get_from(app, host)

    assert response.status_code == 404
    assert "http://127.0.0.1:8000/x" not in response.text


@pytest.mark.parametrize("header", ["X-Forwarded-For", "Forwarded", "X-Real-IP"])
async def test_a_request_through_a_proxy_is_refused_even_from_loopback(app, header: str) -> None:
    response = await get_from(app, "127.0.0.1", {header: "127.0.0.1"})

    assert response.status_code == 404


def test_outside_development_mode_nobody_reads_it() -> None:
    development = dataclasses.replace(get_settings(), dev_mode=True)
    production = dataclasses.replace(get_settings(), dev_mode=False)

    assert may_read_dev_mailbox(development, "::1", {})
    assert not may_read_dev_mailbox(production, "127.0.0.1", {})


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, False),
        ({"BOERSE_DEV": "1"}, True),
        ({"BOERSE_DEV": "1", "DATABASE_URL": "postgresql://db.example/boerse"}, False),
    ],
)
def test_development_mode_is_explicit_and_never_with_postgresql(
    monkeypatch, environment: dict[str, str], expected: bool
) -> None:
    monkeypatch.delenv("BOERSE_DEV", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)

    assert Settings.from_env().dev_mode is expected
