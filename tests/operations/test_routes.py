"""`GET /healthz`: JSON for load balancers, 503 when a dependency is down, no session."""

from __future__ import annotations

import datetime as dt

from boerse.lib.db import utcnow
from boerse.operations import services
from tests.operations.helpers import redis_unreachable


async def test_healthz_is_200_when_database_and_redis_answer(client) -> None:
    response = await client.get("/healthz")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == {"database": "ok", "redis": "ok", "worker_last_seen_s": None}
    assert response.headers["cache-control"] == "no-store"
    # No session or CSRF cookie for a probe that runs every few seconds.
    assert "set-cookie" not in response.headers


async def test_healthz_says_when_a_worker_was_last_seen(client) -> None:
    await services.record_heartbeat("lindenau-1:401", "running", utcnow() - dt.timedelta(hours=1))

    body = (await client.get("/healthz")).json()

    assert 0 <= body["worker_last_seen_s"] < 10


async def test_healthz_is_503_when_redis_is_unreachable(client) -> None:
    async with redis_unreachable():
        response = await client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"database": "ok", "redis": "error", "worker_last_seen_s": None}
    assert (await client.get("/healthz")).status_code == 200


async def test_healthz_never_looks_up_a_session(client, count_queries) -> None:
    client.cookies.set("boerse_session", "expired-or-forged")
    with count_queries() as counter:
        response = await client.get("/healthz")
    assert response.status_code == 200
    assert counter.count == 1  # the health probe itself; no login-session lookup


async def test_healthz_route_name_resolves(app) -> None:
    assert app.route_reverse("operations:healthz") == "/healthz"
