"""Worker jobs of the matching domain: the weekly digest and the nightly index rebuild."""

from __future__ import annotations

from typing import Any

from arq.cron import cron
from arq.worker import func

from boerse.lib.db import utcnow
from boerse.lib.queue import enqueue
from boerse.matching import digest
from boerse.matching.index import rebuild_index

# Like the other jobs: a small timeout keeps arq's in-progress key (max timeout + 10 s),
# and so the recovery of every job after a crash, short. A run stops after its budget and
# queues its own continuation, so any number of subscribers fits.
DIGEST_TIMEOUT = 120
DIGEST_BUDGET_S = 90.0


async def send_weekly_digest(ctx: dict[str, Any], after_user: int = 0) -> int:
    """This week's digest for everyone due, whatever the time (by name: tests, operators)."""
    run = await digest.send_weekly_digest(after_user=after_user, budget_s=DIGEST_BUDGET_S)
    if run.resume_after is not None:
        await enqueue("send_weekly_digest", run.resume_after)
    return run.queued


async def weekly_digest_cron(ctx: dict[str, Any]) -> int:
    """Hourly; sends only on Monday from 07:00 in the town (see `digest.is_digest_time`)."""
    if not digest.is_digest_time(utcnow()):
        return 0
    return await send_weekly_digest(ctx)


async def rebuild_matching_index(ctx: dict[str, Any]) -> int:
    """Nightly: an index row keeps the weekly windows and hours of the sessions that were
    still ahead at its last refresh; once sessions pass, only a rebuild updates them."""
    offers, residents = await rebuild_index()
    return offers + residents


FUNCTIONS = [func(send_weekly_digest, timeout=DIGEST_TIMEOUT), rebuild_matching_index]
CRON_JOBS = [
    cron(weekly_digest_cron, minute={0}, second={30}, timeout=DIGEST_TIMEOUT),
    cron(rebuild_matching_index, hour={2}, minute={40}, second={0}, timeout=DIGEST_TIMEOUT),
]
