"""The login limits of `ratelimit`: per (account, source), per source, per account, without
ever locking the owner out from a source that has not failed (OWASP ASVS 2.2.1)."""

from __future__ import annotations

from boerse.accounts import ratelimit
from boerse.accounts.tables import LoginSession
from boerse.lib import queue
from tests.accounts.sources import client_from, log_in
from tests.support.factories import PASSWORD, make_user

WRONG = "falsches-Passwort-123"
ATTACKER = "203.0.113.7"
OWNER = "198.51.100.20"
REFUSED = "Zu viele Anmeldeversuche"


async def test_attacker_cannot_lock_the_owner_out_from_another_source(app):
    await make_user(email="anna@example.org")
    async with client_from(app, ATTACKER) as attacker, client_from(app, OWNER) as owner:
        answers = [
            (await log_in(attacker, "anna@example.org", WRONG)).status_code for _ in range(50)
        ]
        response = await log_in(owner, "anna@example.org")

    assert response.status_code == 303
    assert await LoginSession.count() == 1
    assert answers[: ratelimit.PAIR_LIMIT] == [400] * ratelimit.PAIR_LIMIT
    assert set(answers[ratelimit.PAIR_LIMIT :]) == {429}


async def test_attacker_is_refused_after_the_limit_even_with_the_right_password(app):
    await make_user(email="anna@example.org")
    async with client_from(app, ATTACKER) as attacker:
        for _ in range(ratelimit.PAIR_LIMIT):
            assert (await log_in(attacker, "anna@example.org", WRONG)).status_code == 400

        response = await log_in(attacker, "anna@example.org", PASSWORD)

    assert response.status_code == 429
    assert REFUSED in response.text
    assert "in 15 Minuten noch einmal" in response.text
    assert 'value="anna@example.org"' in response.text  # the form keeps what was typed
    assert await LoginSession.count() == 0


async def test_one_source_trying_many_accounts_is_refused_for_every_account(app):
    # Credential stuffing: never more than a few guesses per account, many accounts.
    await make_user(email="anna@example.org")
    per_account = ratelimit.PAIR_LIMIT - 1
    async with client_from(app, ATTACKER) as attacker, client_from(app, OWNER) as owner:
        for number in range(ratelimit.SOURCE_LIMIT):
            email = f"opfer{number // per_account}@example.org"
            assert (await log_in(attacker, email, WRONG)).status_code == 400

        refused = await log_in(attacker, "anna@example.org", PASSWORD)
        elsewhere = await log_in(owner, "anna@example.org", PASSWORD)

    assert refused.status_code == 429 and REFUSED in refused.text
    assert elsewhere.status_code == 303


async def test_account_under_attack_from_many_sources_still_lets_the_owner_in(app):
    await make_user(email="anna@example.org")
    sources = [f"203.0.113.{number}" for number in range(1, 11)]
    per_source = ratelimit.ACCOUNT_ATTACK_THRESHOLD // len(sources)
    assert per_source <= ratelimit.PAIR_LIMIT
    for address in sources:
        async with client_from(app, address) as attacker:
            for _ in range(per_source):
                assert (await log_in(attacker, "anna@example.org", WRONG)).status_code == 400

    # Under attack: a source gets one failed guess, then it is refused.
    async with client_from(app, "192.0.2.1") as fresh:
        assert (await log_in(fresh, "anna@example.org", WRONG)).status_code == 400
        assert (await log_in(fresh, "anna@example.org", WRONG)).status_code == 429
    async with client_from(app, OWNER) as owner:
        assert (await log_in(owner, "anna@example.org")).status_code == 303


async def test_successful_login_clears_the_pair_and_returns_the_source_count(app):
    await make_user(email="anna@example.org")
    attempt = ratelimit.Attempt("login", "anna@example.org", OWNER, allowed=True)
    redis = await queue.connection()
    async with client_from(app, OWNER) as owner:
        for _ in range(3):
            await log_in(owner, "anna@example.org", WRONG)
        assert int(await redis.get(attempt.pair_key)) == 3
        assert 0 < await redis.ttl(attempt.pair_key) <= 15 * 60

        assert (await log_in(owner, "anna@example.org")).status_code == 303

    assert await redis.exists(attempt.pair_key) == 0
    assert int(await redis.get(attempt.source_key)) == 3  # the failures stay counted
    assert int(await redis.get(attempt.account_key)) == 3


async def test_counters_hold_no_address_in_clear(app):
    async with client_from(app, ATTACKER) as attacker:
        await log_in(attacker, "anna@example.org", WRONG)
    keys = [key.decode() for key in await (await queue.connection()).keys("ratelimit:*")]
    assert len(keys) == 3
    assert not any("anna" in key or "203.0" in key for key in keys)


def test_ipv6_sources_count_per_64_network():
    assert ratelimit.source_of("2001:db8:1:2::1") == ratelimit.source_of("2001:db8:1:2:ffff::9")
    assert ratelimit.source_of("2001:db8:1:2::1") != ratelimit.source_of("2001:db8:1:3::1")
    assert ratelimit.source_of("::ffff:203.0.113.7") == "203.0.113.7"
    assert ratelimit.source_of("203.0.113.7") == "203.0.113.7"


async def test_login_works_while_the_counter_store_is_down(client, flaky_redis, app_on):
    # The flaky server was never started: every counter call fails, the login goes through.
    await make_user(email="anna@example.org")
    assert (await log_in(client, "anna@example.org", WRONG)).status_code == 400
    assert (await log_in(client, "anna@example.org")).status_code == 303
