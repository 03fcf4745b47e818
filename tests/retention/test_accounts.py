"""Unverified accounts are deleted, inactive ones warned once and deleted after the grace
period unless their owner logs in; the last administrator is kept. Time is frozen at each
side of every boundary and the real worker runs the nightly job."""

from __future__ import annotations

import time_machine

from boerse.accounts.tables import Role
from boerse.audit.actions import Action
from boerse.lib import queue
from boerse.lib.lifecycle import clear_stop, request_stop
from boerse.retention.jobs import run_retention
from boerse.retention.tables import InactivityWarning
from boerse.settings import get_settings
from tests.audit.helpers import entries
from tests.retention.helpers import DAY, T0, exists, run_retention_at
from tests.support.factories import PASSWORD, make_officer, make_user
from tests.support.fixtures import links_in, login
from tests.support.services import Mailbox, body_text


async def test_unverified_accounts_go_after_the_period_verified_ones_stay() -> None:
    days = get_settings().unverified_account_days
    with time_machine.travel(T0, tick=True):
        unverified = await make_user(verified=False)
        verified = await make_user()

    await run_retention_at(T0 + (days - 1) * DAY)
    assert await exists(unverified)

    await run_retention_at(T0 + (days + 1) * DAY)
    assert not await exists(unverified)
    assert await exists(verified)
    [entry] = await entries(Action.UNVERIFIED_ACCOUNTS_DELETED)
    assert (entry["actor_role"], entry["quantity"]) == ("system", 1)


async def test_inactive_account_is_warned_once_and_deleted_after_the_grace_period(
    mailbox: Mailbox,
) -> None:
    settings = get_settings()
    inactive, grace = settings.inactive_account_days * DAY, settings.inactive_grace_days * DAY
    with time_machine.travel(T0, tick=True):
        person = await make_user(email="lena@example.org", display_name="Lena", last_login_at=T0)

    await run_retention_at(T0 + inactive - DAY)
    assert mailbox.to("lena@example.org") == []

    warned_at = T0 + inactive + DAY
    await run_retention_at(warned_at)
    await run_retention_at(warned_at + 2 * DAY)
    [warning] = mailbox.to("lena@example.org")
    assert mailbox.subjects() == ["Ihr Konto bei der Mitmach-Börse wird bald gelöscht"]
    text = body_text(warning)
    assert f"{settings.base_url}/konto/anmelden" in links_in(text)
    assert "Lena" in text

    await run_retention_at(warned_at + grace - DAY)
    assert await exists(person)

    await run_retention_at(warned_at + grace + DAY)
    assert not await exists(person)
    assert await InactivityWarning.count() == 0
    assert [row["quantity"] for row in await entries(Action.INACTIVE_ACCOUNTS_DELETED)] == [1]
    assert [row["quantity"] for row in await entries(Action.INACTIVE_ACCOUNTS_WARNED)] == [1]


async def test_logging_in_after_the_warning_keeps_the_account(client, mailbox: Mailbox) -> None:
    settings = get_settings()
    inactive, grace = settings.inactive_account_days * DAY, settings.inactive_grace_days * DAY
    with time_machine.travel(T0, tick=True):
        person = await make_user(email="karl@example.org", last_login_at=T0)
    warned_at = T0 + inactive + DAY
    await run_retention_at(warned_at)
    assert len(mailbox.to("karl@example.org")) == 1

    back = warned_at + 10 * DAY
    with time_machine.travel(back, tick=True):
        await login(client, "karl@example.org", PASSWORD)

    await run_retention_at(warned_at + grace + DAY)
    assert await exists(person)
    assert await InactivityWarning.count() == 0
    assert len(mailbox.to("karl@example.org")) == 1

    # Inactive again for the whole period after that login: a new, second warning.
    await run_retention_at(back + inactive + DAY)
    assert len(mailbox.to("karl@example.org")) == 2


async def test_staff_are_warned_and_deleted_but_never_the_last_admin(mailbox: Mailbox) -> None:
    settings = get_settings()
    inactive, grace = settings.inactive_account_days * DAY, settings.inactive_grace_days * DAY
    with time_machine.travel(T0, tick=True):
        officer = await make_officer(email="amt@lindenau.example", last_login_at=T0)
        first = await make_user(email="a1@lindenau.example", role=Role.ADMIN, last_login_at=T0)
        second = await make_user(email="a2@lindenau.example", role=Role.ADMIN, last_login_at=T0)

    await run_retention_at(T0 + inactive + DAY)
    assert sorted(message["To"] for message in mailbox.messages) == [
        "a1@lindenau.example",
        "a2@lindenau.example",
        "amt@lindenau.example",
    ]
    await run_retention_at(T0 + inactive + grace + 2 * DAY)

    assert not await exists(officer)
    assert [await exists(first), await exists(second)].count(True) == 1


async def test_a_stop_request_ends_the_run_early_and_queues_its_continuation() -> None:
    days = get_settings().unverified_account_days
    with time_machine.travel(T0, tick=True):
        unverified = await make_user(verified=False)
    redis = await queue.connection()
    with time_machine.travel(T0 + (days + 1) * DAY, tick=True):
        request_stop()
        try:
            done = await run_retention({})
        finally:
            clear_stop()
        assert done["unverified_deleted"] == 0
        assert await exists(unverified)
        assert await redis.zcard("arq:queue") == 1
    await run_retention_at(T0 + (days + 1) * DAY)
    assert not await exists(unverified)
