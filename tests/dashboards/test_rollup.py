"""The rollup per opportunity and month against a hand-counted town (see rollup_town)."""

from __future__ import annotations

import datetime as dt

from boerse.dashboards.figures import Measures
from boerse.dashboards.freshness import freshness
from boerse.dashboards.rollup import ROLLUP_NAME, refresh_rollups
from boerse.dashboards.tables import FieldModeParticipation, OpportunityMonth
from boerse.lib.queue import enqueue
from tests.dashboards.rollup_town import NOW, OCTOBER, SEPTEMBER, dated_session, place
from tests.dashboards.rollup_town import rollup_town as build_town
from tests.support.factories import make_user
from tests.support.fixtures import run_worker

DECEMBER = dt.date(2026, 12, 1)


async def rows_of(opportunity_id: int) -> dict[dt.date, Measures]:
    from boerse.dashboards.reports import _measures, _month

    rows = await OpportunityMonth.select().where(OpportunityMonth.opportunity == opportunity_id)
    return {_month(row["month"]): _measures(row) for row in rows}


async def test_full_refresh_counts_places_invitations_answers_per_month() -> None:
    town = await build_town()

    run = await refresh_rollups(full=True, now=NOW)

    trees = await rows_of(town.trees.id)
    assert trees[SEPTEMBER] == Measures(3, 2, 3.5, 2, 2, 1, 5.0, 1, 1, 1)
    assert trees[OCTOBER] == Measures(2, 2, 3.0, 1, 1, 3, 9.0, 3, 2, 3)
    assert trees[DECEMBER] == Measures(sign_ups=1)
    assert set(trees) == {SEPTEMBER, OCTOBER, DECEMBER}
    assert (await rows_of(town.litter.id))[OCTOBER] == Measures(1, 1, 1.0, 0)
    assert (await rows_of(town.council.id))[dt.date(2026, 8, 1)] == Measures(1, 1, 2.0, 1)
    draft = await OpportunityMonth.select().where(OpportunityMonth.opportunity == town.draft.id)
    assert [bool(row["ever_published"]) for row in draft] == [False]
    assert run.rows == 6 and run.full
    assert (await freshness(ROLLUP_NAME)).refreshed_at == NOW


async def test_recent_refresh_replaces_only_the_last_two_months() -> None:
    town = await build_town()
    await refresh_rollups(full=True, now=NOW)
    late = await make_user()
    await place(await dated_session(town.trees, dt.date(2026, 9, 20)), late.id, hours=1)
    await place(await dated_session(town.trees, dt.date(2026, 10, 20)), late.id, hours=1)

    run = await refresh_rollups(full=False, now=NOW)

    trees = await rows_of(town.trees.id)
    assert run.since == OCTOBER
    assert trees[SEPTEMBER].attended == 2  # untouched until the nightly rebuild
    assert trees[OCTOBER].attended == 3
    assert trees[OCTOBER].first_timers == 1  # the newcomer's first time was in September
    await refresh_rollups(full=True, now=NOW)
    assert (await rows_of(town.trees.id))[SEPTEMBER].first_timers == 3


async def test_inventory_cells_count_distinct_people_and_hours() -> None:
    await build_town()

    await refresh_rollups(full=True, now=NOW)

    cells = {
        (row["mode"], row["participants"], row["hours"])
        for row in await FieldModeParticipation.select()
    }
    # co-deliver in environment: p1, p2, p5, p6 (Bäume) and p2 (Müll); the draft is left out
    assert ("co_deliver", 4, 7.5) in cells
    assert ("co_design", 1, 2.0) in cells


async def test_the_worker_job_builds_the_rollup_and_its_freshness() -> None:
    town = await build_town()
    assert (await freshness(ROLLUP_NAME)).refreshed_at is None

    assert await enqueue("refresh_dashboards")
    await run_worker()

    assert (await freshness(ROLLUP_NAME)).refreshed_at is not None
    assert (await rows_of(town.trees.id))[SEPTEMBER].attended == 2
