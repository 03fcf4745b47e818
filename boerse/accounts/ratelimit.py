"""Limits on logins and on requests that send mail, counted in Redis.

A module of its own because the counters are infrastructure with their own failure policy
(fail open when Redis is down), shared by login, verification and password reset."""

from __future__ import annotations

import datetime as dt
import logging

from arq import ArqRedis
from redis.exceptions import RedisError

from boerse.lib import queue
from boerse.lib.security import hash_token

log = logging.getLogger(__name__)

LOGIN_WINDOW = dt.timedelta(minutes=15)
LOGIN_LIMIT_PER_EMAIL = 10
# Higher than per email: a town hall or a care home shares one public address.
LOGIN_LIMIT_PER_IP = 30
MAIL_WINDOW = dt.timedelta(hours=1)
MAIL_LIMIT_PER_EMAIL = 3
MAIL_LIMIT_PER_IP = 20

# INCR and EXPIRE in one script: atomic, and the window is fixed at the first attempt, so a
# process dying in between can never leave a counter without expiry.
_INCR_WITH_EXPIRY = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count
"""


async def count_attempt(key: str, window: dt.timedelta, redis: ArqRedis | None = None) -> int:
    """Counts one attempt in the current window. Returns 0 when Redis is unreachable: we fail
    open, because a queue outage must not lock every resident out of the site."""
    try:
        redis = redis or await queue.connection()
        return int(await redis.eval(_INCR_WITH_EXPIRY, 1, key, int(window.total_seconds())))
    except (TimeoutError, RedisError, OSError) as error:
        log.warning("rate-limit store unreachable, attempt allowed: %s", type(error).__name__)
        return 0


async def forget_attempts(key: str) -> None:
    try:
        await (await queue.connection()).delete(key)
    except (TimeoutError, RedisError, OSError) as error:
        log.warning("rate-limit store unreachable, counter kept: %s", type(error).__name__)


def limit_key(action: str, kind: str, value: str) -> str:
    """Hashed, so Redis never holds an email address or IP address in clear."""
    return f"ratelimit:{action}:{kind}:{hash_token(value.lower())}"


async def over_limit(
    action: str, email: str, client_ip: str, per_email: int, per_ip: int, window: dt.timedelta
) -> bool:
    by_email = await count_attempt(limit_key(action, "email", email), window)
    by_ip = await count_attempt(limit_key(action, "ip", client_ip), window)
    return by_email > per_email or by_ip > per_ip
