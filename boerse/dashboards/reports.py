"""Dashboards read from the rollup (`OpportunityMonth`): results by opportunity, field of
action, outcome goal or mode over a period, month by month, against the previous period and
the town.

Every dashboard runs the same few queries whatever the number of answers: the freshness,
the groups by month, the scope as a whole by month, the town by month (when narrowed) and
one lookup of names. The rollup already holds sums per opportunity and month, so these are
GROUP BYs over small rows; figures shown as shares or averages are derived from the sums in
`figures.Measures`."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from boerse.dashboards.figures import (
    Dashboard,
    Dimension,
    GroupFigures,
    Measures,
    MonthMeasures,
    Period,
    Scope,
)
from boerse.dashboards.freshness import freshness
from boerse.dashboards.rollup import GOAL_LINKS, MEASURES, ROLLUP_NAME
from boerse.dashboards.tables import OpportunityMonth
from boerse.goals.tables import Goal
from boerse.opportunities.labels import MODE_LABELS
from boerse.opportunities.tables import Opportunity
from boerse.profiles.tables import FieldOfAction

_SUMS = ", ".join(f"SUM(om.{name}) AS {name}" for name in MEASURES)

_IN_GOAL = f"om.opportunity IN (SELECT opportunity FROM ({GOAL_LINKS}) f WHERE f.goal = {{}})"  # noqa: S608

PER_OPPORTUNITY, PER_SCOPE, PER_GOAL = "opportunity_month", "scope_month", "goal_month"
"""The rollups a dashboard reads: per opportunity (any filter), per organisation / town,
field and mode (`ScopeMonth`), per goal and organisation / town (`GoalMonth`)."""


def _table(dimension: Dimension | None, field_id: int | None, mode: str | None,
           goal_id: int | None) -> str:  # fmt: skip
    """The smallest rollup that answers the question: the compact ones cannot narrow to a
    goal (nor a goal dashboard to a field or mode), and opportunities are only per
    opportunity."""
    if goal_id is not None or dimension is Dimension.OPPORTUNITY:
        return PER_OPPORTUNITY
    if dimension is Dimension.GOAL:
        return PER_GOAL if field_id is None and mode is None else PER_OPPORTUNITY
    return PER_SCOPE


def _group_key(dimension: Dimension, table: str) -> str:
    if dimension is Dimension.GOAL:
        return "om.goal" if table == PER_GOAL else "gl.goal"
    return {Dimension.OPPORTUNITY: "om.opportunity", Dimension.FIELD: "om.field",
            Dimension.MODE: "om.mode"}[dimension]  # fmt: skip


@dataclass(frozen=True)
class _Filter:
    """The WHERE of a rollup query: SQL with `{}` placeholders, its parameters and the
    rollup table it applies to."""

    sql: str
    params: tuple
    table: str = PER_OPPORTUNITY

    @classmethod
    def of(
        cls,
        scope: Scope,
        first: dt.date,
        last: dt.date,
        table: str,
        field_id: int | None = None,
        mode: str | None = None,
        goal_id: int | None = None,
    ) -> _Filter:
        parts, params = ["om.month >= {}", "om.month <= {}"], [first, last]
        if scope.public:
            parts.append("om.ever_published = TRUE")
        if scope.organisation_id is not None:
            parts.append("om.organisation = {}")
            params.append(scope.organisation_id)
        elif table != PER_OPPORTUNITY:
            parts.append("om.organisation IS NULL")  # the town's own rows
        if field_id is not None:
            parts.append("om.field = {}")
            params.append(field_id)
        if mode is not None:
            parts.append("om.mode = {}")
            params.append(mode)
        if goal_id is not None:
            parts.append(_IN_GOAL)
            params.append(goal_id)
        return cls(" AND ".join(parts), tuple(params), table)


def _measures(row: dict) -> Measures:
    return Measures(
        sign_ups=int(row["sign_ups"] or 0),
        attended=int(row["attended"] or 0),
        hours=float(row["hours"] or 0),
        first_timers=int(row["first_timers"] or 0),
        invitations=int(row["invitations"] or 0),
        responses=int(row["responses"] or 0),
        rating_points=float(row["rating_points"] or 0),
        rating_answers=int(row["rating_answers"] or 0),
        agreeing=int(row["agreeing"] or 0),
        agreement_answers=int(row["agreement_answers"] or 0),
    )


def _month(value: dt.date | str) -> dt.date:
    """SQLite may hand a grouped DATE back as text."""
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime):
        return value.date()
    return value


async def _by_month(where: _Filter, key: str | None = None) -> list[dict]:
    """Sums per month (and per group `key`, when given) of the rollup rows matching."""
    join = f"JOIN ({GOAL_LINKS}) gl ON gl.opportunity = om.opportunity" if key == "gl.goal" else ""
    select_key = f"{key} AS group_key, " if key else ""
    group_key = f"{key}, " if key else ""
    sql = (
        f"SELECT {select_key}om.month AS month, {_SUMS} FROM {where.table} om {join} "  # noqa: S608
        f"WHERE {where.sql} GROUP BY {group_key}om.month"
    )
    return await OpportunityMonth.raw(sql, *where.params)


def _group(
    key: str,
    label: str,
    rows: Iterable[dict],
    period: Period,
    organisation_id: int | None = None,
) -> GroupFigures:
    """One group's months of the period (empty ones included) and its previous period."""
    by_month: dict[dt.date, Measures] = defaultdict(Measures)
    for row in rows:
        by_month[_month(row["month"])] += _measures(row)
    months = [MonthMeasures(month, by_month.get(month, Measures())) for month in period.months]
    previous = sum((by_month.get(m, Measures()) for m in period.previous().months), Measures())
    total = sum((m.measures for m in months), Measures())
    return GroupFigures(key, label, total, months, previous, organisation_id)


def _split(rows: list[dict]) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        grouped[str(row["group_key"])].append(row)
    return grouped


async def _field_groups(rows: list[dict], period: Period) -> list[GroupFigures]:
    fields = await FieldOfAction.select(FieldOfAction.id, FieldOfAction.name).order_by(
        FieldOfAction.position
    )
    grouped = _split(rows)
    return [_group(str(f["id"]), f["name"], grouped.get(str(f["id"]), []), period) for f in fields]


def _mode_groups(rows: list[dict], period: Period) -> list[GroupFigures]:
    grouped = _split(rows)
    return [
        _group(mode, label, grouped.get(mode, []), period) for mode, label in MODE_LABELS.items()
    ]


async def _goal_groups(rows: list[dict], period: Period) -> list[GroupFigures]:
    """Main goals each followed by their sub-goals; retired goals only when they have figures."""
    goals = await Goal.select(Goal.id, Goal.parent, Goal.title, Goal.retired).order_by(
        Goal.position
    ).order_by(Goal.id)  # fmt: skip
    grouped = _split(rows)
    shown = [g for g in goals if not g["retired"] or str(g["id"]) in grouped]
    ordered = []
    for main in (g for g in shown if g["parent"] is None):
        ordered.append(main)
        ordered += [g for g in shown if g["parent"] == main["id"]]
    return [
        _group(str(g["id"]), g["title"], grouped.get(str(g["id"]), []), period) for g in ordered
    ]


async def _opportunity_groups(
    where: _Filter, period: Period, limit: int
) -> tuple[list[GroupFigures], int]:
    """The `limit` opportunities with most responses in the period (then by title), and how
    many more there are: three queries (the ranking, their months, their titles)."""
    in_period = _Filter(where.sql, (period.first, *where.params[1:]), where.table)
    ranking_sql = (
        "SELECT om.opportunity AS id, SUM(om.responses) AS responses, COUNT(*) OVER () AS total "  # noqa: S608
        f"FROM opportunity_month om JOIN opportunity o ON o.id = om.opportunity "
        f"WHERE {in_period.sql} GROUP BY om.opportunity, o.title "
        "ORDER BY SUM(om.responses) DESC, o.title LIMIT {}"
    )
    ranked = await OpportunityMonth.raw(ranking_sql, *in_period.params, limit)
    if not ranked:
        return [], 0
    ids = [int(row["id"]) for row in ranked]
    placeholders = ", ".join("{}" for _ in ids)
    rows = await _by_month(
        _Filter(f"{where.sql} AND om.opportunity IN ({placeholders})", (*where.params, *ids)),
        "om.opportunity",
    )
    titles = {
        row["id"]: row
        for row in await Opportunity.select(
            Opportunity.id, Opportunity.title, Opportunity.organisation
        ).where(Opportunity.id.is_in(ids))
    }
    grouped = _split(rows)
    groups = [
        _group(
            str(i), titles[i]["title"], grouped.get(str(i), []), period, titles[i]["organisation"]
        )
        for i in ids
        if i in titles
    ]
    return groups, int(ranked[0]["total"]) - len(groups)


async def dashboard(
    dimension: Dimension,
    period: Period,
    scope: Scope,
    *,
    field_id: int | None = None,
    mode: str | None = None,
    goal_id: int | None = None,
    limit: int = 50,
) -> Dashboard:
    """A dashboard of the scope's opportunities (narrowed to a field, mode or goal), grouped
    by `dimension`, from the rollup: five or six queries whatever the size of the town."""
    first = period.previous().first
    narrowing = {"field_id": field_id, "mode": mode, "goal_id": goal_id}
    table = _table(dimension, field_id, mode, goal_id)
    where = _Filter.of(scope, first, period.last, table, **narrowing)
    more = 0
    if dimension is Dimension.OPPORTUNITY:
        groups, more = await _opportunity_groups(where, period, limit)
    else:
        rows = await _by_month(where, _group_key(dimension, table))
        if dimension is Dimension.FIELD:
            groups = await _field_groups(rows, period)
        elif dimension is Dimension.MODE:
            groups = _mode_groups(rows, period)
        else:
            groups = await _goal_groups(rows, period)
    whole = _Filter.of(scope, first, period.last, _table(None, None, None, goal_id), **narrowing)
    overall = _group("overall", "", await _by_month(whole), period, scope.organisation_id)
    filters = {
        name: str(value)
        for name, value in (("field", field_id), ("mode", mode), ("goal", goal_id))
        if value is not None
    }
    town = None
    if scope.organisation_id is not None or filters:
        town_where = _Filter.of(Scope(public=scope.public), first, period.last, PER_SCOPE)
        town = _group("town", "", await _by_month(town_where), period)
    return Dashboard(
        dimension=dimension,
        period=period,
        scope=scope,
        groups=groups,
        overall=overall,
        freshness=await freshness(ROLLUP_NAME),
        town=town,
        more=more,
        filters=filters,
    )


async def opportunity_months(opportunity_id: int, period: Period) -> GroupFigures:
    """One opportunity's months of the period and its previous period (for its trend):
    two queries."""
    where = _Filter("om.month >= {} AND om.month <= {} AND om.opportunity = {}",
                    (period.previous().first, period.last, opportunity_id))  # fmt: skip
    rows = await _by_month(where)
    row = await Opportunity.select(Opportunity.title, Opportunity.organisation).where(
        Opportunity.id == opportunity_id
    ).first()  # fmt: skip
    title, organisation = (row["title"], row["organisation"]) if row else ("", None)
    return _group(str(opportunity_id), title, rows, period, organisation)
