"""Worker jobs of the matching domain: the weekly digest of new matching offers."""

from __future__ import annotations

from typing import Any

from arq.cron import cron
from arq.worker import func

from boerse.lib.db import utcnow
from boerse.matching import digest

# One recommendation query per opted-in resident: generous, and harmless if cut short
# (everyone already sent is skipped when the job runs again).
DIGEST_TIMEOUT = 1800


async def send_weekly_digest(ctx: dict[str, Any]) -> int:
    """This week's digest for everyone due, whatever the time (by name: tests, operators)."""
    return await digest.send_weekly_digest()


async def weekly_digest_cron(ctx: dict[str, Any]) -> int:
    """Hourly; sends only on Monday from 07:00 in the town (see `digest.is_digest_time`)."""
    if not digest.is_digest_time(utcnow()):
        return 0
    return await digest.send_weekly_digest()


FUNCTIONS = [func(send_weekly_digest, timeout=DIGEST_TIMEOUT)]
CRON_JOBS = [cron(weekly_digest_cron, minute={0}, second={30}, timeout=DIGEST_TIMEOUT)]
