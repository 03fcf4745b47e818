"""Limits on logins, second-factor codes and requests that send mail, counted in Redis.

A module of its own because the counters are infrastructure with their own failure policy
(fail open when Redis is down), shared by login, the second factor, verification and
password reset.

Login policy, against OWASP ASVS 4.0 section 2.2 (authentication security):

- 2.2.1 anti-automation without account lockout. A failed guess is counted three ways:
  per *pair* (account, source), per *source* (across all accounts) and per *account*
  (across all sources). Nothing ever locks an account for everybody: anyone could otherwise
  lock out any resident or officer with a few wrong passwords (the defect this replaces).
- Soft lockout per pair: after `PAIR_LIMIT` failed attempts within `LOGIN_WINDOW` that
  source is refused for that account, even with the right password, until the window ends.
  A source that has not failed for the account is not affected.
- Rate limit per source against credential stuffing (one address trying many accounts):
  `SOURCE_LIMIT` failed attempts within the window, whichever accounts they named, and that
  source is refused for every login. Higher than the pair limit, because a town hall or a
  care home shares one public address.
- Slow-down per account against distributed guessing (many addresses, one account): from
  `ACCOUNT_ATTACK_THRESHOLD` failed attempts within `ACCOUNT_WINDOW`, the pair limit drops to
  `PAIR_LIMIT_UNDER_ATTACK`, so every further guess needs an address that has not failed for
  this account yet. A correct password from a clean source still goes through, so the owner
  is never locked out; ASVS 2.2.1's "no more than 100 failed attempts per hour" then holds
  up to the number of fresh addresses an attacker owns, each of which also counts against
  its own source limit.
- The source is the connecting address as uvicorn reports it: behind the compose proxy
  uvicorn takes it from Caddy's `X-Forwarded-For` (`proxy_headers`, `FORWARDED_ALLOW_IPS`),
  which Caddy sets itself rather than passing on what a client sent. IPv6 addresses count
  per /64 network, since one connection usually owns a whole /64.
- A successful login clears its pair and gives back its source's count; refused attempts
  test no password and are not counted, so hammering does not prolong the window.
- Counters hold no address in clear (keyed HMAC of account and source) and expire with
  their window. When Redis is unreachable every attempt is allowed (fail open): a queue
  outage must not lock every resident out of the site; argon2 still makes each guess slow.

Second-factor codes follow the same policy under their own action name."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import logging
from dataclasses import dataclass, replace

from arq import ArqRedis
from redis.exceptions import RedisError

from boerse.lib import queue
from boerse.settings import get_settings

log = logging.getLogger(__name__)

LOGIN_WINDOW = dt.timedelta(minutes=15)
PAIR_LIMIT = 5
PAIR_LIMIT_UNDER_ATTACK = 1
SOURCE_LIMIT = 30
ACCOUNT_WINDOW = dt.timedelta(hours=1)
ACCOUNT_ATTACK_THRESHOLD = 50

MAIL_WINDOW = dt.timedelta(hours=1)
MAIL_LIMIT_PER_ACCOUNT = 3
MAIL_LIMIT_PER_IP = 20

_STORE_ERRORS = (TimeoutError, RedisError, OSError)

# INCR and EXPIRE in one script: atomic, and the window is fixed at the first attempt, so a
# process dying in between can never leave a counter without expiry.
_INCR_WITH_EXPIRY = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count
"""

# The whole decision in one script, so parallel guesses cannot all pass a check before any
# of them is counted. KEYS: pair, source, account. ARGV: window seconds, pair limit, pair
# limit under attack, attack threshold, source limit. Returns 1 (counted, go on) or 0.
_BEGIN_ATTEMPT = """
local pair_limit = tonumber(ARGV[2])
if tonumber(redis.call('GET', KEYS[3]) or '0') >= tonumber(ARGV[4]) then
  pair_limit = tonumber(ARGV[3])
end
if tonumber(redis.call('GET', KEYS[1]) or '0') >= pair_limit
   or tonumber(redis.call('GET', KEYS[2]) or '0') >= tonumber(ARGV[5]) then
  return 0
end
for i = 1, 2 do
  if redis.call('INCR', KEYS[i]) == 1 then redis.call('EXPIRE', KEYS[i], ARGV[1]) end
end
return 1
"""

# A success clears the pair and takes its attempt back off the source's count.
_SUCCEEDED = """
redis.call('DEL', KEYS[1])
if tonumber(redis.call('GET', KEYS[2]) or '0') > 0 then redis.call('DECR', KEYS[2]) end
return 1
"""


def source_of(client_ip: str) -> str:
    """The unit a source is counted in: the IPv4 address, or the /64 network of an IPv6 one."""
    try:
        address = ipaddress.ip_address(client_ip)
    except ValueError:
        return client_ip
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def limit_key(action: str, kind: str, value: str) -> str:
    """Keyed hash, so Redis never holds an email address or IP address in clear (a plain
    hash of an address could be reversed by hashing a list of addresses)."""
    digest = hmac.new(
        get_settings().secret_key.encode(), value.lower().encode(), hashlib.sha256
    ).hexdigest()
    return f"ratelimit:{action}:{kind}:{digest}"


@dataclass(frozen=True)
class Attempt:
    """One counted attempt: `allowed` False means refused before any check was made."""

    action: str
    account: str
    source: str
    allowed: bool

    @property
    def pair_key(self) -> str:
        return limit_key(self.action, "pair", f"{self.account}|{self.source}")

    @property
    def source_key(self) -> str:
        return limit_key(self.action, "source", self.source)

    @property
    def account_key(self) -> str:
        return limit_key(self.action, "account", self.account)


async def begin_attempt(action: str, account: str, client_ip: str) -> Attempt:
    """Counts an attempt before the password (or code) is checked, or refuses it."""
    attempt = Attempt(action, account.strip().lower(), source_of(client_ip), allowed=True)
    try:
        redis = await queue.connection()
        allowed = await redis.eval(
            _BEGIN_ATTEMPT,
            3,
            attempt.pair_key,
            attempt.source_key,
            attempt.account_key,
            int(LOGIN_WINDOW.total_seconds()),
            PAIR_LIMIT,
            PAIR_LIMIT_UNDER_ATTACK,
            ACCOUNT_ATTACK_THRESHOLD,
            SOURCE_LIMIT,
        )
    except _STORE_ERRORS as error:
        log.warning("rate-limit store unreachable, attempt allowed: %s", type(error).__name__)
        return attempt
    if not int(allowed):
        log.info("event=attempt_refused action=%s", action)
        return replace(attempt, allowed=False)
    return attempt


async def attempt_failed(attempt: Attempt) -> None:
    """A wrong password or code: pair and source were counted up front, the account now."""
    await count_attempt(attempt.account_key, ACCOUNT_WINDOW)


async def attempt_succeeded(attempt: Attempt) -> None:
    try:
        redis = await queue.connection()
        await redis.eval(_SUCCEEDED, 2, attempt.pair_key, attempt.source_key)
    except _STORE_ERRORS as error:
        log.warning("rate-limit store unreachable, counter kept: %s", type(error).__name__)


async def count_attempt(key: str, window: dt.timedelta, redis: ArqRedis | None = None) -> int:
    """Counts one attempt in the current window. Returns 0 when Redis is unreachable: we fail
    open, because a queue outage must not lock every resident out of the site."""
    try:
        redis = redis or await queue.connection()
        return int(await redis.eval(_INCR_WITH_EXPIRY, 1, key, int(window.total_seconds())))
    except _STORE_ERRORS as error:
        log.warning("rate-limit store unreachable, attempt allowed: %s", type(error).__name__)
        return 0


async def over_limit(
    action: str, account: str, client_ip: str, per_account: int, per_ip: int, window: dt.timedelta
) -> bool:
    """For requests that send mail: every request counts, per account and per source."""
    by_account = await count_attempt(limit_key(action, "account", account), window)
    by_ip = await count_attempt(limit_key(action, "source", source_of(client_ip)), window)
    return by_account > per_account or by_ip > per_ip
