"""Worker jobs of the outbox: deliver what is due, sweep up what nobody woke a worker for.

Any number of `deliver_outbox` jobs may be queued (every action that queues a mail asks for
one); inside one worker process they share one running pass and so one SMTP connection."""

from __future__ import annotations

import datetime as dt
from typing import Any

from arq.cron import cron
from arq.worker import func

from boerse.lib.lifecycle import stop_requested
from boerse.outbox import delivery, services
from boerse.settings import get_settings

# A pass ends after this long and queues its continuation, so it stays far inside its job
# timeout (arq does not retry a job that timed out) and other jobs get their turn.
DELIVERY_BUDGET_S = 45.0
DELIVERY_TIMEOUT_S = 60

_running = {"pass": False, "again": False}


async def deliver_outbox(ctx: dict[str, Any]) -> int:
    """Deliver until nothing is due. A wake-up that arrives while this process already runs
    a pass only tells that pass to look once more."""
    if _running["pass"]:
        _running["again"] = True
        return 0
    _running["pass"] = True
    sent = 0
    try:
        while True:
            _running["again"] = False
            run = await delivery.deliver_due(
                get_settings(), budget_s=DELIVERY_BUDGET_S, should_stop=stop_requested
            )
            sent += run.sent
            if run.more:
                await services.wake_delivery()
            if run.more or run.server_down or not _running["again"]:
                return sent
    finally:
        _running["pass"] = False


async def sweep_outbox(ctx: dict[str, Any]) -> int:
    """Wake delivery when mails are due that no job was queued for (Redis was down, a
    worker was killed and its leases ran out, a pause after a failure is over)."""
    due = await delivery.count_due()
    if due:
        await services.wake_delivery()
    return due


async def purge_outbox(ctx: dict[str, Any]) -> int:
    return await services.purge_delivered(RETENTION)


# Long enough to answer "did you send me the link?", short enough to hold little.
RETENTION = dt.timedelta(days=30)

FUNCTIONS = [func(deliver_outbox, timeout=DELIVERY_TIMEOUT_S, keep_result=0), sweep_outbox]
CRON_JOBS = [
    # Every 15 s: a dead worker's mails wait at most a lease (30 s) and 15 s more.
    cron(sweep_outbox, second={0, 15, 30, 45}, run_at_startup=True, timeout=30),
    cron(purge_outbox, hour={3}, minute={15}, second={0}, timeout=120),
]
