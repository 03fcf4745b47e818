"""Clients that connect from a given address, as uvicorn reports it behind the proxy."""

from __future__ import annotations

from typing import Any

import httpx

from tests.support.factories import PASSWORD
from tests.support.fixtures import Client


def client_from(app: Any, address: str) -> Client:
    """A client whose requests arrive from `address` (the ASGI scope's client)."""
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return Client(transport=transport, base_url="http://testserver")


async def log_in(client: Client, email: str, password: str = PASSWORD) -> httpx.Response:
    return await client.submit("/konto/anmelden", {"email": email, "password": password})
