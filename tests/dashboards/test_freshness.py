"""Rollups say how fresh they are."""

from __future__ import annotations

import datetime as dt

from boerse.dashboards.freshness import freshness, mark_refreshed
from boerse.lib.db import utcnow


async def test_a_rollup_never_built_has_no_time() -> None:
    state = await freshness("never")
    assert state.refreshed_at is None
    assert state.minutes_behind() is None


async def test_the_latest_rebuild_counts() -> None:
    earlier = utcnow() - dt.timedelta(minutes=30)
    await mark_refreshed("monthly", earlier)
    later = earlier + dt.timedelta(minutes=27)
    await mark_refreshed("monthly", later)
    state = await freshness("monthly")
    assert state.refreshed_at == later
    assert state.minutes_behind(later + dt.timedelta(minutes=4, seconds=59)) == 4
