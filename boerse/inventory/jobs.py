"""Jobs of the inventory domain: keep the potential rollup fresh.

Every three minutes the worker rebuilds the potential table (residents' interests and open
offers' free places change all day, and the 30-day window of demand moves with time); it
also runs when the worker starts, so a new installation shows figures at once. A rebuild
reads grouped figures only and takes seconds at 100,000 residents (README, Potential)."""

from __future__ import annotations

from typing import Any

from arq.cron import cron
from arq.worker import func

from boerse.inventory.potential import rebuild_potential

REFRESH_TIMEOUT_S = 55


async def refresh_potential(ctx: dict[str, Any]) -> int:
    """Rebuild the potential rollup; returns the number of cells."""
    result = await rebuild_potential()
    return result.cells


FUNCTIONS = [func(refresh_potential, timeout=REFRESH_TIMEOUT_S)]
CRON_JOBS = [
    cron(
        refresh_potential,
        minute=set(range(1, 60, 3)),
        second={10},
        run_at_startup=True,
        timeout=REFRESH_TIMEOUT_S,
        unique=True,
    ),
]
