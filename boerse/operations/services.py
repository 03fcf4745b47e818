"""Worker heartbeats and the health of what the site depends on (database, Redis, workers).

The worker runner calls `record_heartbeat` every few seconds and `forget_heartbeat` at a
clean shutdown; the admin page and `/healthz` read them. A process killed with -9 leaves
its row behind: it stops counting as alive after `ALIVE_WITHIN` and is deleted a day later."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from dataclasses import dataclass

from piccolo.query.functions.aggregate import Max
from redis.exceptions import RedisError

from boerse.lib import queue
from boerse.lib.db import is_sqlite, utcnow, write_transaction
from boerse.operations.tables import WorkerHeartbeat, WorkerState

log = logging.getLogger(__name__)

# A worker that has not beaten for this long is taken for dead (it beats far more often).
ALIVE_WITHIN = dt.timedelta(seconds=60)
# Rows of processes that vanished without a goodbye are kept this long, then deleted.
FORGET_AFTER = dt.timedelta(days=1)
# A health check must answer fast, also while a dependency hangs instead of refusing.
PROBE_TIMEOUT_S = 2.0


@dataclass(frozen=True)
class WorkerStatus:
    name: str
    state: str
    started_at: dt.datetime
    last_seen_at: dt.datetime
    alive: bool


@dataclass(frozen=True)
class Health:
    database_ok: bool
    redis_ok: bool
    worker_seen_seconds_ago: float | None
    """Seconds since any worker last beat; None when none ever did (or the database failed)."""

    @property
    def ok(self) -> bool:
        """What a load balancer asks: can this web process serve requests? A missing worker
        delays mails but does not make the site unusable, so it is reported, not failed on."""
        return self.database_ok and self.redis_ok


async def record_heartbeat(name: str, state: str, started_at: dt.datetime) -> None:
    """Insert or refresh the row of worker `name` ("hostname:pid"), and delete the rows of
    workers gone for more than a day. Raises ValueError for an unknown `state`."""
    state = WorkerState(state).value
    now = utcnow()
    row = WorkerHeartbeat(name=name, state=state, started_at=started_at, last_seen_at=now)
    async with write_transaction():
        await WorkerHeartbeat.insert(row).on_conflict(
            target=WorkerHeartbeat.name,
            action="DO UPDATE",
            values=[
                WorkerHeartbeat.state,
                WorkerHeartbeat.started_at,
                WorkerHeartbeat.last_seen_at,
            ],
        )
        await WorkerHeartbeat.delete().where(WorkerHeartbeat.last_seen_at < now - FORGET_AFTER)


async def forget_heartbeat(name: str) -> None:
    """A worker that stops cleanly removes its row, so it does not show as dead."""
    async with write_transaction():
        await WorkerHeartbeat.delete().where(WorkerHeartbeat.name == name)


async def workers(now: dt.datetime | None = None) -> list[WorkerStatus]:
    """Every known worker process, by name; `alive` when it beat less than a minute ago."""
    now = now or utcnow()
    rows = await WorkerHeartbeat.select(
        WorkerHeartbeat.name,
        WorkerHeartbeat.state,
        WorkerHeartbeat.started_at,
        WorkerHeartbeat.last_seen_at,
    ).order_by(WorkerHeartbeat.name)
    return [WorkerStatus(**row, alive=now - row["last_seen_at"] < ALIVE_WITHIN) for row in rows]


async def worker_is_alive(name_prefix: str) -> bool:
    """True when a worker whose name starts with `name_prefix` (e.g. "hostname:") beat
    within the last minute: `boerse health --worker` on a host asks this."""
    rows = await WorkerHeartbeat.select(WorkerHeartbeat.name).where(
        WorkerHeartbeat.last_seen_at >= utcnow() - ALIVE_WITHIN
    )
    # Compared in Python: a LIKE pattern would need escaping of "_" and "%" in host names.
    return any(row["name"].startswith(name_prefix) for row in rows)


async def health() -> Health:
    """Probe the database (the heartbeat query doubles as its trivial query) and Redis,
    each bounded by `PROBE_TIMEOUT_S`; never raises."""
    database_ok, seen_ago = await _probe_database()
    return Health(
        database_ok=database_ok, redis_ok=await _probe_redis(), worker_seen_seconds_ago=seen_ago
    )


async def _probe_database() -> tuple[bool, float | None]:
    try:
        async with asyncio.timeout(PROBE_TIMEOUT_S):
            row = await WorkerHeartbeat.select(
                Max(WorkerHeartbeat.last_seen_at, alias="last_seen_at")
            ).first()
    except Exception as error:  # any driver error means "not healthy", never a 500
        log.warning("event=health_database_failed error=%s", type(error).__name__)
        return False, None
    last_seen = row["last_seen_at"] if row else None
    if last_seen is None:
        return True, None
    if is_sqlite() and isinstance(last_seen, str):
        # An aggregate skips Piccolo's column conversion: SQLite hands back the stored text.
        last_seen = dt.datetime.fromisoformat(last_seen).replace(tzinfo=dt.UTC)
    return True, round((utcnow() - last_seen).total_seconds(), 1)


async def _probe_redis() -> bool:
    try:
        async with asyncio.timeout(PROBE_TIMEOUT_S):
            redis = await queue.connection()
            await redis.ping()
    except (RedisError, OSError, TimeoutError) as error:
        log.warning("event=health_redis_failed error=%s", type(error).__name__)
        # A fresh connection next time, as `enqueue` does after a failure.
        await queue.close_queue()
        return False
    return True
