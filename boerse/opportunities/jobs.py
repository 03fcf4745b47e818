"""Worker jobs of the opportunities domain: the reminder the day before a session."""

from __future__ import annotations

from typing import Any

from arq.cron import cron

from boerse.opportunities.signups import queue_reminders


async def send_session_reminders(ctx: dict[str, Any]) -> int:
    """Every quarter of an hour: queue reminders for sessions starting within 24 hours.
    Running it twice is harmless, the outbox's `reminder:<signup id>` key sends once."""
    return await queue_reminders()


FUNCTIONS: list[Any] = []
CRON_JOBS = [
    cron(
        send_session_reminders,
        minute={0, 15, 30, 45},
        second={30},
        run_at_startup=True,
        timeout=120,
        unique=True,
    )
]
