"""Worker jobs of the surveys domain: send the follow-up survey after each participation."""

from __future__ import annotations

from typing import Any

from arq.cron import cron
from arq.worker import func

from boerse.lib.queue import enqueue
from boerse.settings import get_settings
from boerse.surveys import services

FANOUT_TIMEOUT_S = 120


async def send_due_surveys(ctx: dict[str, Any]) -> int:
    """Invite every attendee whose date is over (and drop reminders whose link expired while
    delivery was down); safe to run any number of times at once.
    Queued by each date's end (see `services.schedule_fanout`), by itself while work is
    left, and by the catch-up cron."""
    await services.drop_expired_reminders()
    run = await services.send_due_surveys(get_settings())
    if run.more:
        await enqueue("send_due_surveys")
    return run.invited


FUNCTIONS = [func(send_due_surveys, timeout=FANOUT_TIMEOUT_S)]
CRON_JOBS = [
    cron(
        send_due_surveys,
        minute=set(range(0, 60, 5)),
        second={15},
        run_at_startup=True,
        timeout=FANOUT_TIMEOUT_S,
    )
]
