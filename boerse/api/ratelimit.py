"""Requests per client and minute on the API, counted in Redis like the login limits.

A fixed window per source (IPv4 address or IPv6 /64, see `accounts.ratelimit.source_of`)
keyed by a keyed hash, so Redis holds no address. When Redis is unreachable every request
is allowed (fail open, as for logins): the data is public anyway, and an outage of the
queue must not take the API down."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from redis.exceptions import RedisError

from boerse.accounts.ratelimit import limit_key, source_of
from boerse.lib import queue

log = logging.getLogger(__name__)

WINDOW_SECONDS = 60
_STORE_ERRORS = (TimeoutError, RedisError, OSError)

# INCR with the window's expiry set at the first request, and the seconds left: one trip.
_COUNT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
local left = redis.call('TTL', KEYS[1])
if left < 0 then redis.call('EXPIRE', KEYS[1], ARGV[1]); left = tonumber(ARGV[1]) end
return {count, left}
"""


@dataclass(frozen=True)
class Allowance:
    limit: int
    remaining: int
    reset_seconds: int

    @property
    def exceeded(self) -> bool:
        return self.remaining < 0


async def count_request(client_ip: str, limit: int) -> Allowance:
    """Counts one request of this client in the current window."""
    key = limit_key("api", "source", source_of(client_ip))
    try:
        redis = await queue.connection()
        count, left = await redis.eval(_COUNT, 1, key, WINDOW_SECONDS)
    except _STORE_ERRORS as error:
        log.warning("rate-limit store unreachable, API request allowed: %s", type(error).__name__)
        return Allowance(limit, limit, WINDOW_SECONDS)
    return Allowance(limit, limit - int(count), max(1, int(left)))
