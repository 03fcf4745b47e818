"""Running the retention job on the real worker at a chosen moment."""

from __future__ import annotations

import datetime as dt

import time_machine

from boerse.accounts.tables import User
from boerse.lib.queue import enqueue
from tests.support.fixtures import run_worker

T0 = dt.datetime(2026, 1, 12, 9, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


async def run_retention_at(moment: dt.datetime) -> None:
    """The nightly job as the worker runs it (and the mail delivery it wakes), at `moment`."""
    with time_machine.travel(moment, tick=True):
        assert await enqueue("run_retention")
        await run_worker()


async def exists(user: User) -> bool:
    return await User.exists().where(User.id == user.id)
