"""When a mail that could not be sent is tried again, and when we give up: pure functions.

Pauses double from 30 seconds up to a day, so a mail server that is down for a weekend
does not lose the mails of Friday evening, while a short hiccup costs only seconds."""

from __future__ import annotations

import datetime as dt

FIRST_PAUSE = dt.timedelta(seconds=30)
LONGEST_PAUSE = dt.timedelta(days=1)
# 13 pauses of 30 s, 1 min, … 17 h, then a day: about two and a half days in all.
MAX_ATTEMPTS = 14


def pause_after(attempts: int) -> dt.timedelta:
    """The pause after the `attempts`-th failed try (1 = the first)."""
    doublings = min(max(attempts, 1) - 1, 20)
    return min(FIRST_PAUSE * (2**doublings), LONGEST_PAUSE)


def gives_up(attempts: int) -> bool:
    return attempts >= MAX_ATTEMPTS


def retry_budget() -> dt.timedelta:
    """How long a temporarily refused mail keeps being tried (for the admin page and README)."""
    return sum((pause_after(n) for n in range(1, MAX_ATTEMPTS)), dt.timedelta())


def kind_of(dedupe_key: str) -> str:
    """What caused a mail, from its dedupe key (`survey:42` → `survey`): lets the admin page
    and the logs name a mail without naming its recipient."""
    return dedupe_key.split(":", 1)[0]
