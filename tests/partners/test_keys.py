"""A key's life: issued (shown once, stored as a hash), used, limited, expired, revoked."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from piccolo.conf.apps import Finder

from boerse.lib.db import utcnow
from boerse.lib.logs import RedactingFilter
from boerse.partners import keys
from boerse.partners.auth import authenticate
from boerse.partners.services import revoke_key
from boerse.partners.tables import KeyScope, PartnerKey
from tests.partners.helpers import API, bearer, issue
from tests.support.factories import make_organisation


def test_a_key_is_taken_apart_only_when_it_is_one_of_ours() -> None:
    made = keys.new_key()
    presented = keys.split_key(made.key)
    assert presented is not None and presented.prefix == made.prefix
    assert keys.secret_matches(presented.secret, made.secret_hash)
    assert not keys.secret_matches(presented.secret + "x", made.secret_hash)
    for bad in (
        "",
        "mbp_",
        f"mbp_{made.prefix}_kurz",
        made.key.replace("mbp", "xyz", 1),
        f"mbp_{made.prefix.upper()}_{presented.secret}",
    ):
        assert keys.split_key(bad) is None
    assert keys.bearer_key(f"bearer  {made.key} ") == made.key
    assert keys.bearer_key(f"Basic {made.key}") is None
    assert keys.bearer_key(None) is None


async def test_the_database_never_holds_the_key() -> None:
    issued = await issue(await make_organisation())
    secret = keys.split_key(issued.key).secret
    [row] = await PartnerKey.select()
    for value in row.values():
        assert issued.key not in str(value) and secret not in str(value)
    # Nor anywhere else: every row of every table, the audit entry of the issue included.
    for table in Finder().get_table_classes():
        for stored in await table.select():
            assert secret not in str(stored), table._meta.tablename
    assert row["secret_hash"] == keys.hash_token(secret)


async def test_a_key_works_until_revoked(client) -> None:
    agency = await make_organisation("Agentur")
    issued = await issue(agency, KeyScope.READ)
    first = await client.get(f"{API}/key", headers=bearer(issued.key))
    assert first.status_code == 200
    assert first.json() == {
        "partner_name": "Freiwilligenagentur Lindenau",
        "prefix": keys.split_key(issued.key).prefix,
        "scope": "read",
        "organisation_id": agency.id,
        "organisation_name": "Agentur",
    }
    row = await PartnerKey.select(PartnerKey.last_used_at).first()
    assert row["last_used_at"] is not None

    assert await revoke_key(issued.id) is True
    assert await revoke_key(issued.id) is False
    refused = await client.get(f"{API}/key", headers=bearer(issued.key))
    assert refused.status_code == 401
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.headers["www-authenticate"].startswith("Bearer")


async def test_an_expired_a_wrong_and_a_missing_key_are_refused_alike(client) -> None:
    today = utcnow().date()
    issued = await issue(None, KeyScope.READ, expires_on=today)
    assert (await client.get(f"{API}/key", headers=bearer(issued.key))).status_code == 200
    with pytest.raises(Exception) as refused:
        await authenticate(f"Bearer {issued.key}", now=utcnow() + dt.timedelta(days=2))
    assert getattr(refused.value, "status_code", None) == 401

    await PartnerKey.update({PartnerKey.expires_at: utcnow() - dt.timedelta(seconds=1)}).where(
        PartnerKey.id == issued.id
    )
    answers = [
        await client.get(f"{API}/key", headers=bearer(issued.key)),
        await client.get(f"{API}/key", headers=bearer(issued.key[:-2] + "xx")),
        await client.get(f"{API}/key", headers=bearer("mbp_000000000000_" + "a" * 43)),
        await client.get(f"{API}/key"),
    ]
    assert {response.status_code for response in answers} == {401}
    assert len({response.json()["detail"] for response in answers}) == 1


async def test_each_key_has_its_own_rate_limit(client) -> None:
    slow = await issue(None, KeyScope.READ, per_minute=3)
    other = await issue(None, KeyScope.READ, name="Andere Agentur")
    codes = [
        (await client.get(f"{API}/key", headers=bearer(slow.key))).status_code for _ in range(4)
    ]
    assert codes == [200, 200, 200, 429]
    limited = await client.get(f"{API}/key", headers=bearer(slow.key))
    assert limited.headers["retry-after"] == "60"
    assert limited.headers["content-type"].startswith("application/problem+json")
    assert (await client.get(f"{API}/key", headers=bearer(other.key))).status_code == 200


def test_a_key_never_reaches_a_log_line() -> None:
    made = keys.new_key()
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        "%s %s",
        (f"Authorization: Bearer {made.key}", made.key),
        None,
    )
    RedactingFilter().filter(record)
    line = record.getMessage()
    assert made.key not in line and keys.split_key(made.key).secret not in line


async def test_no_log_record_of_a_call_holds_the_key(client, caplog) -> None:
    """Raw records, before any redaction: our code never logs the key in the first place."""
    issued = await issue(await make_organisation())
    caplog.set_level(logging.DEBUG)
    await client.get(f"{API}/key", headers=bearer(issued.key))
    await client.post(f"{API}/opportunities", json={"title": ""}, headers=bearer(issued.key))
    await revoke_key(issued.id)
    await client.get(f"{API}/key", headers=bearer(issued.key))
    secret = keys.split_key(issued.key).secret
    assert caplog.records
    assert secret not in caplog.text
