"""Worker jobs of the messages domain: the officers' daily sign-up summary."""

from __future__ import annotations

from typing import Any

from arq.cron import cron

from boerse.messages.summary import send_daily_summaries


async def send_signup_summaries(ctx: dict[str, Any]) -> int:
    """Hourly; sends from 07:00 in the town (see `summary.window_at`), so the time follows
    daylight saving whatever zone the server uses, and a worker that was down at seven
    still sends that day. Repeated runs send nothing more (one key per officer and day)."""
    return await send_daily_summaries()


FUNCTIONS: list[Any] = []
CRON_JOBS = [
    cron(
        send_signup_summaries, minute={5}, second={15}, run_at_startup=True, timeout=60, unique=True
    )
]
