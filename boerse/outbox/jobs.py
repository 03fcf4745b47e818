"""Worker jobs of the outbox: deliver one email, and sweep up whatever was not delivered."""

from __future__ import annotations

import datetime as dt
from typing import Any

from arq import Retry
from arq.cron import cron

from boerse.outbox import services
from boerse.settings import get_settings


async def deliver_email(ctx: dict[str, Any], email_id: int) -> bool:
    try:
        return await services.deliver(email_id, get_settings())
    except OSError as error:
        # SMTP down or refusing: try again later with growing pauses (arq counts job_try).
        raise Retry(defer=min(300, 10 * ctx.get("job_try", 1) ** 2)) from error


async def sweep_outbox(ctx: dict[str, Any]) -> int:
    """Re-enqueue mails whose job was lost (Redis down, worker killed)."""
    ids = await services.pending_ids()
    for email_id in ids:
        await services.notify_worker(email_id)
    return len(ids)


async def purge_outbox(ctx: dict[str, Any]) -> int:
    return await services.purge_delivered(RETENTION)


# Long enough to answer "did you send me the link?", short enough to hold little.
RETENTION = dt.timedelta(days=30)

FUNCTIONS = [deliver_email, sweep_outbox, purge_outbox]
CRON_JOBS = [
    cron(sweep_outbox, second={0}, run_at_startup=True, timeout=60),
    cron(purge_outbox, hour={3}, minute={15}, second={0}, timeout=120),
]
