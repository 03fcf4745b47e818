"""Worker jobs of the surveys domain: send the follow-up survey after each participation."""

from __future__ import annotations

from typing import Any

from arq.cron import cron

from boerse.settings import get_settings
from boerse.surveys import services


async def send_due_surveys(ctx: dict[str, Any]) -> int:
    """Invite every attendee whose session is over; safe to run any number of times at once."""
    return await services.send_due_surveys(get_settings())


# Listed as a function too, so it can be enqueued by name (tests, an operator catching up).
FUNCTIONS = [send_due_surveys]
CRON_JOBS = [
    cron(
        send_due_surveys,
        minute=set(range(0, 60, 5)),
        second={15},
        run_at_startup=True,
        timeout=120,
    )
]
