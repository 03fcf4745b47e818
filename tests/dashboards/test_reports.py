"""Dashboards read from the rollup: groups, months, previous period, town, public and
organisation scopes, against the hand-counted town of rollup_town."""

from __future__ import annotations

import datetime as dt

from boerse.dashboards.figures import Dimension, Measures, Period, Scope
from boerse.dashboards.reports import dashboard, opportunity_months
from boerse.dashboards.rollup import refresh_rollups
from boerse.opportunities.labels import MODE_LABELS
from tests.dashboards.rollup_town import NOW, OCTOBER, SEPTEMBER, rollup_town

PERIOD = Period(SEPTEMBER, OCTOBER)
TREES_SEPTEMBER = Measures(3, 2, 3.5, 2, 2, 1, 5.0, 1, 1, 1)
TREES_OCTOBER = Measures(2, 2, 3.0, 1, 1, 3, 9.0, 3, 2, 3)
LITTER_OCTOBER = Measures(1, 1, 1.0, 0)
DRAFT_OCTOBER = Measures(1, 1, 9.0, 1)
COUNCIL_AUGUST = Measures(1, 1, 2.0, 1)


async def built_town():
    town = await rollup_town()
    await refresh_rollups(full=True, now=NOW)
    return town


def group(board, key):
    return next(g for g in board.groups if g.key == str(key))


async def test_town_by_mode_has_every_mode_months_and_previous_period() -> None:
    await built_town()

    board = await dashboard(Dimension.MODE, PERIOD, Scope())

    assert [g.key for g in board.groups] == list(MODE_LABELS)
    assert [g.label for g in board.groups] == list(MODE_LABELS.values())
    deliver = group(board, "co_deliver")
    assert [m.month for m in deliver.months] == [SEPTEMBER, OCTOBER]
    assert deliver.months[0].measures == TREES_SEPTEMBER
    assert deliver.months[1].measures == TREES_OCTOBER + LITTER_OCTOBER + DRAFT_OCTOBER
    assert deliver.previous == Measures()
    assert group(board, "co_design").previous == COUNCIL_AUGUST
    assert group(board, "co_assess").total == Measures()
    total = TREES_SEPTEMBER + TREES_OCTOBER + LITTER_OCTOBER + DRAFT_OCTOBER
    assert board.overall.total == total and board.overall.previous == COUNCIL_AUGUST
    assert board.town is None and board.freshness.refreshed_at == NOW
    assert (total.returning, total.first_timers) == (2, 4)
    assert total.response_rate == 100.0  # 4 responses to 3 invitations: capped
    assert total.average_rating == 14 / 4 and total.agreement_share == 75.0


async def test_public_scope_leaves_out_drafts() -> None:
    await built_town()

    board = await dashboard(Dimension.MODE, PERIOD, Scope(public=True))

    october = group(board, "co_deliver").months[1].measures
    assert october == TREES_OCTOBER + LITTER_OCTOBER
    assert TREES_SEPTEMBER.response_rate == 50.0


async def test_organisation_scope_by_field_compares_with_the_town() -> None:
    town = await built_town()
    from tests.support.factories import field_id

    board = await dashboard(Dimension.FIELD, PERIOD, Scope(organisation_id=town.a.id))

    environment = group(board, await field_id("environment"))
    assert environment.total == TREES_SEPTEMBER + TREES_OCTOBER + DRAFT_OCTOBER
    assert len(board.groups) == 10
    assert board.town is not None
    assert board.town.total == TREES_SEPTEMBER + TREES_OCTOBER + LITTER_OCTOBER + DRAFT_OCTOBER
    other = await dashboard(Dimension.FIELD, PERIOD, Scope(organisation_id=town.b.id))
    assert other.overall.total == LITTER_OCTOBER


async def test_goals_count_sub_goals_opportunities_once_parents_first() -> None:
    town = await built_town()

    board = await dashboard(Dimension.GOAL, PERIOD, Scope())

    assert [g.key for g in board.groups] == [str(town.main_goal), str(town.sub_goal)]
    for goal in board.groups:
        assert goal.total == TREES_SEPTEMBER + TREES_OCTOBER
        assert goal.previous == COUNCIL_AUGUST
    by_mode = await dashboard(Dimension.GOAL, PERIOD, Scope(organisation_id=town.a.id),
                              mode="co_deliver")  # fmt: skip
    assert [g.total for g in by_mode.groups] == [TREES_SEPTEMBER + TREES_OCTOBER] * 2
    narrowed = await dashboard(Dimension.MODE, PERIOD, Scope(), goal_id=town.sub_goal)
    assert narrowed.overall.total == TREES_SEPTEMBER + TREES_OCTOBER
    assert narrowed.filters == {"goal": str(town.sub_goal)}
    assert narrowed.town is not None and narrowed.town.previous == COUNCIL_AUGUST


async def test_opportunities_top_by_responses_with_the_rest_counted() -> None:
    town = await built_town()

    board = await dashboard(Dimension.OPPORTUNITY, PERIOD, Scope(), limit=1)

    assert [(g.key, g.label, g.organisation_id) for g in board.groups] == [
        (str(town.trees.id), "Bäume", town.a.id)
    ]
    assert board.groups[0].total == TREES_SEPTEMBER + TREES_OCTOBER
    assert board.more == 2  # Müll and the draft; the Jugendrat had nothing in the period
    months = await opportunity_months(town.trees.id, PERIOD)
    assert [m.measures for m in months.months] == [TREES_SEPTEMBER, TREES_OCTOBER]
    assert months.label == "Bäume"


async def test_a_dashboard_runs_a_fixed_number_of_queries(count_queries) -> None:
    town = await built_town()
    counts = []
    for _ in range(2):
        with count_queries() as counter:
            await dashboard(Dimension.GOAL, PERIOD, Scope(organisation_id=town.a.id))
        counts.append(counter.count)
        await rollup_town()
        await refresh_rollups(full=True, now=NOW)
    assert counts[0] == counts[1] <= 6
    period = Period.last_months(12, dt.date(2026, 11, 30))
    assert len((await dashboard(Dimension.FIELD, period, Scope())).overall.months) == 12
