"""Worker job of the audit domain: entries older than AUDIT_RETENTION_DAYS are deleted."""

from __future__ import annotations

import datetime as dt
from typing import Any

from arq.cron import cron

from boerse.audit import services
from boerse.audit.actions import Action
from boerse.lib.db import utcnow
from boerse.lib.lifecycle import stop_requested
from boerse.lib.queue import enqueue
from boerse.settings import get_settings

# Well inside the job's timeout: arq does not retry a job that timed out.
PURGE_BUDGET_S = 40.0
PURGE_TIMEOUT_S = 60


async def purge_audit_log(ctx: dict[str, Any]) -> int:
    """Deletes what is past the retention period; queues its own continuation when there
    is more than one run's budget of work, and notes the purge in the log itself."""
    cutoff = utcnow() - dt.timedelta(days=get_settings().audit_retention_days)
    run = await services.purge_older_than(
        cutoff, budget_s=PURGE_BUDGET_S, should_stop=stop_requested
    )
    if run.deleted:
        await services.record_now(Action.AUDIT_ENTRIES_PURGED, count=run.deleted)
    if run.more:
        await enqueue("purge_audit_log")
    return run.deleted


FUNCTIONS = [purge_audit_log]
CRON_JOBS = [
    cron(purge_audit_log, hour={3}, minute={40}, second={0}, timeout=PURGE_TIMEOUT_S),
]
