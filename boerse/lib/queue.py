"""Our small interface to the job queue (arq today; it is in maintenance mode upstream).

Domains call `enqueue()` and nothing else. Enqueueing is best effort: the outbox table and
the periodic sweeps are what guarantee the work, so a Redis outage never fails a request."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import Any

from arq import ArqRedis, create_pool
from arq.connections import RedisSettings
from arq.constants import default_queue_name
from redis.exceptions import RedisError

from boerse.settings import get_settings

log = logging.getLogger(__name__)

_state: dict[str, Any] = {"pool": None, "embedded": None, "down": False}


def redis_url() -> str:
    settings = get_settings()
    if settings.redis_url:
        return settings.redis_url
    if _state["embedded"] is None:
        from boerse.lib import embedded_redis

        _state["embedded"] = embedded_redis.start(settings.embedded_redis_path)
    from boerse.lib.embedded_redis import url_of

    return url_of(_state["embedded"])


def redis_settings() -> RedisSettings:
    settings = RedisSettings.from_dsn(redis_url())
    settings.conn_timeout = 2
    settings.conn_retries = 1
    return settings


async def connection() -> ArqRedis:
    """The shared Redis connection (also used for counters such as login rate limits)."""
    if _state["pool"] is None:
        _state["pool"] = await create_pool(redis_settings())
    return _state["pool"]


async def enqueue(
    function: str,
    *args: Any,
    job_id: str | None = None,
    defer_by: timedelta | None = None,
    defer_until: datetime | None = None,
) -> bool:
    """Queue a job; returns False (and logs) when the queue is unreachable. A `job_id` that
    arq still remembers (queued, running, or finished less than `keep_result` ago) is
    dropped silently: use one only to merge requests for the same work."""
    try:
        pool = await connection()
        await pool.enqueue_job(
            function, *args, _job_id=job_id, _defer_by=defer_by, _defer_until=defer_until
        )
    except (RedisError, OSError) as error:
        if not _state["down"]:
            log.warning("event=queue_unreachable error=%s", type(error).__name__)
        _state["down"] = True
        await close_queue()
        return False
    if _state["down"]:
        log.info("event=queue_reachable_again")
        _state["down"] = False
    return True


async def queued_job_count() -> int | None:
    """Jobs waiting in the queue (deferred ones included), for the admin page; None when
    Redis does not answer within two seconds, so the page still renders during an outage."""
    try:
        async with asyncio.timeout(2):
            pool = await connection()
            return await pool.zcard(default_queue_name)
    except (RedisError, OSError, TimeoutError) as error:
        log.warning("queue unreachable, no job count: %s", type(error).__name__)
        await close_queue()
        return None


async def close_queue() -> None:
    pool, _state["pool"] = _state["pool"], None
    if pool is not None:
        try:
            await pool.aclose()
        except (RedisError, OSError):
            log.debug("queue connection was already gone")
