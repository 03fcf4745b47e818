"""Audit entries are kept AUDIT_RETENTION_DAYS and then purged by the worker; the network
of the client is stored, never the address."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from boerse.audit.actions import Action
from boerse.audit.context import Actor, acting_as, client_network
from boerse.audit.services import clean_summary, record
from boerse.lib.db import write_transaction
from boerse.lib.queue import enqueue
from boerse.settings import get_settings
from tests.audit.helpers import actions, entries
from tests.support.fixtures import run_worker

START = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("203.0.113.77", "203.0.113.0/24"),
        ("2001:db8:abcd:12:1:2:3:4", "2001:db8:abcd::/48"),
        ("::ffff:198.51.100.9", "198.51.100.0/24"),
        ("testclient", ""),
        (None, ""),
    ],
)
def test_only_the_network_of_the_client_is_kept(address, network) -> None:
    assert client_network(address) == network


def test_summaries_lose_email_addresses_and_line_breaks() -> None:
    assert clean_summary("Kontakt:\n anna@example.org  bitte") == "Kontakt: […] bitte"
    assert len(clean_summary("x" * 500)) == 200


async def write_entry(summary: str) -> None:
    with acting_as(Actor(5, "officer", "Olga", "192.0.2.0/24")):
        async with write_transaction():
            await record(Action.OPPORTUNITY_PUBLISHED, 1, summary=summary)


async def test_entries_are_purged_by_the_worker_after_the_retention_period() -> None:
    days = get_settings().audit_retention_days
    with time_machine.travel(START, tick=True):
        await write_entry("alt")
    with time_machine.travel(START + dt.timedelta(days=2), tick=True):
        await write_entry("neuer")

    with time_machine.travel(START + dt.timedelta(days=days - 1), tick=True):
        await enqueue("purge_audit_log")
        await run_worker()
        assert [row["summary"] for row in await entries()] == ["alt", "neuer"]

    with time_machine.travel(START + dt.timedelta(days=days, hours=1), tick=True):
        await enqueue("purge_audit_log")
        await run_worker()
        assert [row["summary"] for row in await entries(Action.OPPORTUNITY_PUBLISHED)] == ["neuer"]
        [purge] = await entries(Action.AUDIT_ENTRIES_PURGED)
        assert (purge["actor_id"], purge["actor_role"], purge["quantity"]) == (None, "system", 1)

    with time_machine.travel(START + dt.timedelta(days=days + 3), tick=True):
        await enqueue("purge_audit_log")
        await run_worker()
        assert await actions() == [Action.AUDIT_ENTRIES_PURGED, Action.AUDIT_ENTRIES_PURGED]
