"""Worker job of the retention domain: once a night, forget what is past its period.

One job runs the steps in order (stale warnings, unverified accounts, old participation,
guests past their dates, warned accounts, new warnings) in batches. It stops when its time budget is used or the
worker is asked to stop, and queues its own continuation; every step can be repeated
without doing anything twice."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Awaitable, Callable
from typing import Any

from arq.cron import cron

from boerse.audit.actions import Action
from boerse.lib.db import utcnow
from boerse.lib.lifecycle import stop_requested
from boerse.lib.queue import enqueue
from boerse.outbox.services import wake_delivery
from boerse.retention import services
from boerse.settings import get_settings

# Well inside the job's timeout (arq does not retry a job that timed out); deleting one
# account takes a few statements, a batch of BATCH well under a second.
RETENTION_BUDGET_S = 40.0
RETENTION_TIMEOUT_S = 60


class _Budget:
    def __init__(self, seconds: float) -> None:
        self._end = time.monotonic() + seconds

    @property
    def spent(self) -> bool:
        return stop_requested() or time.monotonic() > self._end


async def run_retention(ctx: dict[str, Any]) -> dict[str, int]:
    """Returns what it did, step by step (arq keeps it as the job's result)."""
    settings = get_settings()
    periods = services.Periods.of(settings)
    now = utcnow()
    budget = _Budget(RETENTION_BUDGET_S)
    done = {"stale_warnings": await services.forget_stale_warnings()}
    done["unverified_deleted"] = await _delete_unverified(now, periods, budget)
    done["anonymised"] = await _anonymise(now, periods, budget)
    done["guests_deleted"] = await _delete_guests(now, periods, budget)
    done["inactive_deleted"] = await _delete_inactive(now, periods, budget)
    done["warned"] = await _warn(now, periods, budget)
    await services.note(Action.UNVERIFIED_ACCOUNTS_DELETED, done["unverified_deleted"])
    await services.note(Action.SIGN_UPS_ANONYMISED, done["anonymised"])
    await services.note(Action.INACTIVE_ACCOUNTS_DELETED, done["inactive_deleted"])
    await services.note(Action.GUEST_ACCOUNTS_DELETED, done["guests_deleted"])
    await services.note(Action.INACTIVE_ACCOUNTS_WARNED, done["warned"])
    if done["warned"]:
        await wake_delivery()
    if budget.spent:
        await enqueue("run_retention")
    return done


async def _delete_each(
    find: Callable[[], Awaitable[list[int]]], now: dt.datetime, budget: _Budget
) -> int:
    """Deletes the accounts `find` returns, batch after batch, until it finds none."""
    deleted = 0
    while not budget.spent and (ids := await find()):
        for user_id in ids:
            await services.delete_with_history(user_id, now)
        deleted += len(ids)
    return deleted


async def _delete_unverified(now, periods: services.Periods, budget: _Budget) -> int:
    return await _delete_each(
        lambda: services.unverified_accounts(now - periods.unverified), now, budget
    )


async def _anonymise(now, periods: services.Periods, budget: _Budget) -> int:
    """Counts the sign-ups that moved to placeholders."""
    moved = 0
    while not budget.spent and (
        people := await services.people_to_anonymise(now - periods.sign_ups)
    ):
        for user_id in people:
            moved += await services.anonymise_participation(user_id, now)
    return moved


async def _delete_guests(now, periods: services.Periods, budget: _Budget) -> int:
    return await _delete_each(
        lambda: services.guests_to_delete(now - periods.sign_ups), now, budget
    )


async def _delete_inactive(now, periods: services.Periods, budget: _Budget) -> int:
    deleted, after = 0, 0
    while not budget.spent and (
        rows := await services.accounts_to_delete(now, periods.grace, after)
    ):
        for row in rows:
            after = row["id"]
            if row["role"] == "admin" and await services.is_last_admin(row["id"]):
                continue
            await services.delete_with_history(row["id"], now)
            deleted += 1
    return deleted


async def _warn(now, periods: services.Periods, budget: _Budget) -> int:
    warned = 0
    while not budget.spent and (
        accounts := await services.accounts_to_warn(now - periods.inactive)
    ):
        warned += await services.warn_inactive(accounts, now, periods)
    return warned


FUNCTIONS = [run_retention]
CRON_JOBS = [
    cron(run_retention, hour={4}, minute={10}, second={0}, timeout=RETENTION_TIMEOUT_S),
]
