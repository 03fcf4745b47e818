"""Jobs of the dashboards domain: keep the rollups behind the dashboards fresh.

Every three minutes the recent months are rebuilt (new sign-ups, attendance, invitations and
answers land there); every night everything, which also picks up late attendance records
and changed opportunities. The first run after the worker starts rebuilds everything when
the rollup was never built, so a new installation shows figures within seconds."""

from __future__ import annotations

from typing import Any

from arq.cron import cron
from arq.worker import func

from boerse.dashboards.freshness import freshness
from boerse.dashboards.rollup import ROLLUP_NAME, refresh_rollups

REFRESH_TIMEOUT_S = 55
"""A full rebuild at a million answers takes seconds (see README, Dashboards)."""


async def refresh_dashboards(ctx: dict[str, Any], full: bool = False) -> int:
    """Rebuild the recent months (all of them when `full` or never built); returns the rows."""
    never_built = (await freshness(ROLLUP_NAME)).refreshed_at is None
    run = await refresh_rollups(full=full or never_built)
    return run.rows


async def refresh_dashboards_fully(ctx: dict[str, Any]) -> int:
    return await refresh_dashboards(ctx, full=True)


FUNCTIONS = [
    func(refresh_dashboards, timeout=REFRESH_TIMEOUT_S),
    func(refresh_dashboards_fully, timeout=REFRESH_TIMEOUT_S),
]
CRON_JOBS = [
    cron(
        refresh_dashboards,
        minute=set(range(0, 60, 3)),
        second={40},
        run_at_startup=True,
        timeout=REFRESH_TIMEOUT_S,
        unique=True,
    ),
    cron(
        refresh_dashboards_fully,
        hour={2},
        minute={50},
        second={0},
        timeout=REFRESH_TIMEOUT_S,
        unique=True,
    ),
]
