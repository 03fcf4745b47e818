"""How fresh a precomputed rollup is.

A rollup's rebuild calls `mark_refreshed(name)` inside its own write transaction, so the
time and the figures change together; pages show `freshness(name)` beside the figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from boerse.dashboards.tables import RollupState
from boerse.lib.db import utcnow


@dataclass(frozen=True)
class Freshness:
    refreshed_at: dt.datetime | None
    """None until the worker built the rollup for the first time."""

    def minutes_behind(self, now: dt.datetime | None = None) -> int | None:
        if self.refreshed_at is None:
            return None
        seconds = ((now or utcnow()) - self.refreshed_at).total_seconds()
        return max(0, int(seconds // 60))


async def mark_refreshed(name: str, at: dt.datetime | None = None) -> None:
    """Record a rebuild; call it inside the rebuild's write transaction."""
    at = at or utcnow()
    updated = (
        await RollupState.update({RollupState.refreshed_at: at})
        .where(RollupState.name == name)
        .returning(RollupState.id)
    )
    if not updated:
        await RollupState.insert(RollupState(name=name, refreshed_at=at))


async def freshness(name: str) -> Freshness:
    row = await RollupState.select(RollupState.refreshed_at).where(RollupState.name == name).first()
    return Freshness(row["refreshed_at"] if row else None)
