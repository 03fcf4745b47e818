"""Worker heartbeats and the health probes, against the real database and Redis."""

from __future__ import annotations

import datetime as dt

import pytest

from boerse.lib.db import utcnow
from boerse.operations import services
from boerse.operations.tables import WorkerHeartbeat
from tests.operations.helpers import redis_unreachable

STARTED = dt.datetime(2026, 11, 30, 6, 0, tzinfo=dt.UTC)


async def make_heartbeat(name: str, seen_ago: dt.timedelta, state: str = "running") -> None:
    await WorkerHeartbeat(
        name=name, state=state, started_at=STARTED, last_seen_at=utcnow() - seen_ago
    ).save()


async def test_a_heartbeat_is_inserted_once_and_then_refreshed() -> None:
    await services.record_heartbeat("lindenau-1:401", "waiting_for_redis", STARTED)
    first = await WorkerHeartbeat.objects().first()

    await services.record_heartbeat("lindenau-1:401", "running", STARTED)

    (row,) = await WorkerHeartbeat.objects()
    assert (row.name, row.state, row.started_at) == ("lindenau-1:401", "running", STARTED)
    assert row.last_seen_at >= first.last_seen_at


async def test_a_heartbeat_removes_workers_gone_for_more_than_a_day() -> None:
    await make_heartbeat("old-host:12", dt.timedelta(days=1, minutes=1))
    await make_heartbeat("recent-host:13", dt.timedelta(hours=23))

    await services.record_heartbeat("lindenau-1:401", "running", STARTED)

    names = {row["name"] for row in await WorkerHeartbeat.select(WorkerHeartbeat.name)}
    assert names == {"recent-host:13", "lindenau-1:401"}


async def test_an_unknown_state_is_refused() -> None:
    with pytest.raises(ValueError, match="sleeping"):
        await services.record_heartbeat("lindenau-1:401", "sleeping", STARTED)
    assert await WorkerHeartbeat.count() == 0


async def test_forget_removes_only_that_worker() -> None:
    await services.record_heartbeat("lindenau-1:401", "stopping", STARTED)
    await services.record_heartbeat("lindenau-1:402", "running", STARTED)

    await services.forget_heartbeat("lindenau-1:401")

    assert [w.name for w in await services.workers()] == ["lindenau-1:402"]


async def test_workers_are_alive_when_seen_within_a_minute() -> None:
    await make_heartbeat("b-host:2", dt.timedelta(seconds=59))
    await make_heartbeat("a-host:1", dt.timedelta(seconds=61), state="stopping")

    listed = await services.workers()

    assert [(w.name, w.state, w.alive) for w in listed] == [
        ("a-host:1", "stopping", False),
        ("b-host:2", "running", True),
    ]
    assert listed[0].started_at == STARTED


async def test_workers_judges_alive_at_the_given_moment() -> None:
    await make_heartbeat("a-host:1", dt.timedelta(seconds=0))
    (later,) = await services.workers(now=utcnow() + dt.timedelta(minutes=2))
    assert not later.alive


async def test_worker_is_alive_asks_about_one_host() -> None:
    await make_heartbeat("web_1:7", dt.timedelta(seconds=5))
    await make_heartbeat("web-2:8", dt.timedelta(minutes=5))

    assert await services.worker_is_alive("web_1:")
    assert not await services.worker_is_alive("web-2:")  # seen, but too long ago
    assert not await services.worker_is_alive("web%1:")  # no pattern matching in names
    assert not await services.worker_is_alive("db-1:")


async def test_health_reports_database_redis_and_the_last_worker() -> None:
    assert await services.health() == services.Health(True, True, None)

    await make_heartbeat("a-host:1", dt.timedelta(seconds=90))
    await make_heartbeat("b-host:2", dt.timedelta(seconds=30))
    report = await services.health()

    assert report.ok
    assert 29 <= report.worker_seen_seconds_ago < 45


async def test_health_reports_redis_down_without_raising() -> None:
    async with redis_unreachable():
        report = await services.health()
    assert (report.database_ok, report.redis_ok, report.ok) == (True, False, False)
    # Once Redis is back, the next probe connects afresh.
    assert (await services.health()).redis_ok
