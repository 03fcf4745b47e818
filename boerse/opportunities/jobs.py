"""Worker jobs of the opportunities domain: the reminders before a session (the day before
and/or two hours before, as each offer chooses), and the offers' kept next dates for the
public list."""

from __future__ import annotations

from typing import Any

from arq.cron import cron

from boerse.opportunities.next_dates import advance_passed_next_starts, refresh_next_starts
from boerse.opportunities.signups import queue_reminders


async def send_session_reminders(ctx: dict[str, Any]) -> int:
    """Every quarter of an hour: queue the reminders due (a day before, two hours before).
    A quarter-hour cadence sends the two-hours reminder between 2 h and 1 h 45 min before the
    start. Running it twice is harmless: the outbox's `reminder:<signup id>` and
    `reminder2h:<signup id>` keys send each once."""
    return await queue_reminders()


async def advance_next_dates(ctx: dict[str, Any]) -> None:
    """Every minute: offers whose next date has begun move on to their following one, which
    keeps the public list's slower path (stale kept dates) to a handful of offers."""
    await advance_passed_next_starts()


async def refresh_all_next_dates(ctx: dict[str, Any]) -> None:
    """Every night: every offer's next date again, repairing any writer that bypassed the
    services (an import, a hand edit in the database)."""
    await refresh_next_starts()


FUNCTIONS: list[Any] = []
CRON_JOBS = [
    cron(
        send_session_reminders,
        minute={0, 15, 30, 45},
        second={30},
        run_at_startup=True,
        timeout=120,
        unique=True,
    ),
    cron(advance_next_dates, second={5}, run_at_startup=True, timeout=50, unique=True),
    cron(refresh_all_next_dates, hour={2}, minute={35}, second={0}, timeout=600),
]
