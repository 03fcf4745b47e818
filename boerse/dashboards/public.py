"""The public transparency figures: dashboards with every small group withheld.

Cells are counts per dimension, group and month. What a figure rests on decides whether it
is shown: answer figures (responses, response rate, rating, agreement) rest on the group's
responses in that month; participation (sign-ups, attended places, hours) on its attended
places; the split into first-timers and returning people on both halves of that split.

Why months are the only cells that are suppressed: readers choose the period freely, so a
period total could be subtracted from the total of a period one month shorter to reveal
that month. Therefore every relation checked is within one month (the town = the groups;
a main goal ⊇ its sub-goals; attended = first-timers + returning), decided jointly for all
dimensions (the town's month is one cell shared by the field, mode and goal views), and a
period's figures are sums of the months that are shown. Such a total is marked partial when
months were withheld, and it tells nothing the shown months do not already tell.

Known limit: goals may overlap (an opportunity serving two goals counts in both); the sum of
two goals minus the town is not checked. Free texts never reach this module."""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from boerse.dashboards import reports
from boerse.dashboards.charts import (
    BarChart,
    Reference,
    SeriesInput,
    TrendChart,
    Unit,
    bar_chart,
    trend_chart,
)
from boerse.dashboards.figures import (
    Dashboard,
    Dimension,
    GroupFigures,
    Measures,
    Period,
    Scope,
)
from boerse.dashboards.freshness import Freshness
from boerse.dashboards.suppression import Relation, suppressed_keys
from boerse.dashboards.town_schemas import (
    DIMENSION_LABELS,
    DashboardQuery,
    FilterChoices,
    parse_query,
)
from boerse.dashboards.town_view import freshness_text, period_text
from boerse.goals.services import goal_tree
from boerse.lib.forms import Form
from boerse.lib.i18n import gettext as _

PUBLIC_DIMENSIONS = (Dimension.FIELD, Dimension.MODE, Dimension.GOAL)
"""The views the public sees (single opportunities have their own results page)."""
OVERALL = "*"
"""The key of the whole town in cells (no group key is ever `*`)."""

_RESPONSES, _ATTENDED, _FIRST, _RETURNING = "responses", "attended", "first", "returning"


class Shown(StrEnum):
    """Whether a family of figures is shown; the values appear in the JSON export."""

    ALL = "ja"
    PARTIAL = "teilweise"
    """A period figure summed over the months that are shown; some months were withheld."""
    WITHHELD = "nein"


@dataclass(frozen=True)
class PublicFigures:
    """The figures of one group in one month or period; None where withheld or undefined."""

    responses: int | None
    response_rate: float | None
    average_rating: float | None
    agreement_share: float | None
    sign_ups: int | None
    attended: int | None
    hours: float | None
    first_timers: int | None
    returning: int | None
    answers: Shown
    participation: Shown
    split: Shown
    """First-timers and returning people."""


@dataclass(frozen=True)
class PublicMonth:
    month: dt.date
    figures: PublicFigures


@dataclass(frozen=True)
class PublicGroup:
    key: str
    label: str
    total: PublicFigures
    months: list[PublicMonth]
    previous: PublicFigures | None
    """The period before, when it was asked for."""


@dataclass(frozen=True)
class PublicDashboard:
    dimension: Dimension
    period: Period
    groups: list[PublicGroup]
    overall: PublicGroup
    freshness: Freshness
    minimum: int


# --- cells and relations ---------------------------------------------------------------------


def _group_key(dimension: Dimension, group: GroupFigures | None) -> tuple[str, str]:
    return (dimension.value, group.key) if group else ("", OVERALL)


def _cell_counts(measures: Measures) -> dict[str, int]:
    return {
        _RESPONSES: measures.responses,
        _ATTENDED: measures.attended,
        _FIRST: measures.first_timers,
        _RETURNING: measures.returning,
    }


def _counts(dashboards: Sequence[Dashboard]) -> dict[Hashable, int]:
    counts: dict[Hashable, int] = {}
    for dashboard in dashboards:
        rows = [(dashboard.overall, None)] + [(group, group) for group in dashboard.groups]
        for figures, group in rows:
            owner = _group_key(dashboard.dimension, group)
            for month in figures.months:
                for measure, n in _cell_counts(month.measures).items():
                    counts[(measure, *owner, month.month)] = n
    return counts


def _relation(counts: Mapping[Hashable, int], total: Hashable, parts: list) -> Relation:
    """A relation that is a partition exactly when the figures add up (a reader who sees
    that may assume it), otherwise a subset."""
    exact = counts.get(total, 0) == sum(counts.get(part, 0) for part in parts)
    return Relation(total, tuple(parts), partition=exact)


def _relations(
    dashboards: Sequence[Dashboard], sub_goals: Mapping[str, str], counts: Mapping
) -> list[Relation]:
    relations: list[Relation] = []
    for dashboard in dashboards:
        dim = dashboard.dimension.value
        keys = {group.key for group in dashboard.groups}
        for month in dashboard.period.months:
            for measure in (_RESPONSES, _ATTENDED, _FIRST, _RETURNING):
                town = (measure, "", OVERALL, month)
                parts = [(measure, dim, key, month) for key in sorted(keys)]
                relations.append(_relation(counts, town, parts))
                if dashboard.dimension is Dimension.GOAL:
                    relations += _goal_relations(measure, month, keys, sub_goals, counts)
            for owner in [("", OVERALL)] + [(dim, key) for key in sorted(keys)]:
                relations.append(
                    Relation(
                        (_ATTENDED, *owner, month),
                        ((_FIRST, *owner, month), (_RETURNING, *owner, month)),
                    )
                )
    return relations


def _goal_relations(
    measure: str, month, keys: set[str], sub_goals: Mapping[str, str], counts: Mapping
) -> list[Relation]:
    """Each sub-goal, and all of them together, against their main goal."""
    dim = Dimension.GOAL.value
    subs_of: dict[str, list[str]] = {}
    for sub, main in sub_goals.items():
        if sub in keys and main in keys:
            subs_of.setdefault(main, []).append(sub)
    relations = []
    for main, subs in sorted(subs_of.items()):
        total = (measure, dim, main, month)
        parts = [(measure, dim, sub, month) for sub in sorted(subs)]
        relations.append(_relation(counts, total, parts))
        relations += [Relation(total, (part,), partition=False) for part in parts]
    return relations


def withheld_cells(
    dashboards: Sequence[Dashboard], minimum: int, sub_goals: Mapping[str, str] | None = None
) -> set[Hashable]:
    """The month cells not to publish, decided for all the dashboards' dimensions at once."""
    counts = _counts(dashboards)
    return suppressed_keys(counts, _relations(dashboards, sub_goals or {}, counts), minimum)


# --- figures -----------------------------------------------------------------------------


def _shown(hidden_nonzero: bool, shown_nonzero: bool) -> Shown:
    if not hidden_nonzero:
        return Shown.ALL
    return Shown.PARTIAL if shown_nonzero else Shown.WITHHELD


def _figures(months: Iterable, owner: tuple[str, str], hidden: set[Hashable]) -> PublicFigures:
    """Figures summed over the shown months; `months` are MonthMeasures."""
    answers = participation = split = Measures()
    state = {name: [False, False] for name in ("answers", "participation", "split")}

    def note(name: str, withheld: bool, count: int) -> bool:
        if count:
            state[name][0 if withheld else 1] = True
        return not withheld

    for month in months:
        m = month.measures
        cell = (*owner, month.month)
        if note("answers", (_RESPONSES, *cell) in hidden, m.responses):
            answers += m
        attended_hidden = (_ATTENDED, *cell) in hidden
        if note("participation", attended_hidden, m.attended or m.sign_ups):
            participation += m
        split_hidden = attended_hidden or {(_FIRST, *cell), (_RETURNING, *cell)} & hidden
        if note("split", bool(split_hidden), m.attended):
            split += m
    answers_shown = _shown(*state["answers"])
    participation_shown = _shown(*state["participation"])
    split_shown = _shown(*state["split"])
    with_answers = answers_shown is not Shown.WITHHELD
    with_participation = participation_shown is not Shown.WITHHELD
    with_split = split_shown is not Shown.WITHHELD
    return PublicFigures(
        responses=answers.responses if with_answers else None,
        response_rate=answers.response_rate if with_answers else None,
        average_rating=answers.average_rating if with_answers else None,
        agreement_share=answers.agreement_share if with_answers else None,
        sign_ups=participation.sign_ups if with_participation else None,
        attended=participation.attended if with_participation else None,
        hours=participation.hours if with_participation else None,
        first_timers=split.first_timers if with_split else None,
        returning=split.returning if with_split else None,
        answers=answers_shown,
        participation=participation_shown,
        split=split_shown,
    )


def _public_group(
    dashboard: Dashboard,
    group: GroupFigures | None,
    hidden: set[Hashable],
    period: Period,
    previous: Period | None,
) -> PublicGroup:
    figures = group or dashboard.overall
    owner = _group_key(dashboard.dimension, group)
    by_month = {month.month: month for month in figures.months}
    in_period = [by_month[m] for m in period.months if m in by_month]
    before = [by_month[m] for m in previous.months if m in by_month] if previous else None
    return PublicGroup(
        key=figures.key,
        label=figures.label,
        total=_figures(in_period, owner, hidden),
        months=[PublicMonth(m.month, _figures([m], owner, hidden)) for m in in_period],
        previous=_figures(before, owner, hidden) if before is not None else None,
    )


def public_dashboard(
    dashboard: Dashboard,
    hidden: set[Hashable],
    minimum: int,
    period: Period | None = None,
    *,
    with_previous: bool = False,
) -> PublicDashboard:
    """The public view of `dashboard` in `period` (default: all its months), with the cells
    `withheld_cells` chose. With `with_previous` the dashboard must span the period before
    too (ask the report for `Period(period.previous().first, period.last)`)."""
    period = period or dashboard.period
    previous = period.previous() if with_previous else None
    return PublicDashboard(
        dimension=dashboard.dimension,
        period=period,
        groups=[
            _public_group(dashboard, group, hidden, period, previous) for group in dashboard.groups
        ],
        overall=_public_group(dashboard, None, hidden, period, previous),
        freshness=dashboard.freshness,
        minimum=minimum,
    )


# --- loading and the page's charts --------------------------------------------------------

PUBLIC_GROUP_LIMIT = 500
"""Fields, modes and goals are few; the limit only matters for opportunities."""


async def public_views(
    period: Period, minimum: int, *, with_previous: bool = False
) -> dict[Dimension, PublicDashboard]:
    """Every public view of the period, suppressed together: three reports (one per
    dimension, only opportunities ever published) and the goal hierarchy."""
    span = Period(period.previous().first, period.last) if with_previous else period
    dashboards = [
        await reports.dashboard(dimension, span, Scope(public=True), limit=PUBLIC_GROUP_LIMIT)
        for dimension in PUBLIC_DIMENSIONS
    ]
    sub_goals = {
        str(sub.id): str(branch.goal.id)
        for branch in await goal_tree(include_retired=True)
        for sub in branch.subs
    }
    hidden = withheld_cells(dashboards, minimum, sub_goals)
    return {
        board.dimension: public_dashboard(
            board, hidden, minimum, period, with_previous=with_previous
        )
        for board in dashboards
    }


def _label(view: PublicDashboard, group: PublicGroup) -> str:
    """Modes are stored as msgids; names of fields and goals are data."""
    return _(group.label) if view.dimension is Dimension.MODE else group.label


@dataclass(frozen=True)
class TransparencyCharts:
    trend: TrendChart
    bars: list[BarChart]
    group_trends: list[TrendChart]


def transparency_charts(view: PublicDashboard) -> TransparencyCharts:
    """The town's months, a bar per group for the main figures (the town as reference) and
    each group's months; withheld values are gaps (None), as the chart module expects."""
    months = view.period.months

    def trend(key: str, title: str, group: PublicGroup) -> TrendChart:
        return trend_chart(
            key,
            title,
            months,
            [
                SeriesInput(_("Teilnahmen"), [m.figures.attended for m in group.months]),
                SeriesInput(_("Antworten"), [m.figures.responses for m in group.months]),
            ],
            Unit.COUNT,
        )

    bar_specs = (
        ("teilnahmen", _("Teilnahmen im Zeitraum"), "attended", Unit.COUNT, _("Teilnahmen")),
        ("antworten", _("Antworten im Zeitraum"), "responses", Unit.COUNT, _("Antworten")),
        ("bewertung", _("Mittlere Gesamtbewertung"), "average_rating", Unit.RATING, _("Sterne")),
        (
            "zustimmung",
            _("Zustimmung zu Wirkungsfragen"),
            "agreement_share",
            Unit.PERCENT,
            _("Prozent"),
        ),
    )
    bars = [
        bar_chart(
            f"balken-{key}",
            title,
            [(_label(view, g), getattr(g.total, name)) for g in view.groups],
            unit,
            value_label=value_label,
            reference=_reference(getattr(view.overall.total, name)),
        )
        for key, title, name, unit, value_label in bar_specs
    ]
    return TransparencyCharts(
        trend=trend("verlauf", _("Teilnahmen und Antworten je Monat"), view.overall),
        bars=bars,
        group_trends=[
            trend(f"verlauf-{index}", _label(view, group), group)
            for index, group in enumerate(view.groups, start=1)
        ],
    )


def _reference(value: float | None) -> Reference | None:
    return None if value is None else Reference(_("Gesamt"), value)


# --- the transparency page -----------------------------------------------------------------


def parse_public_query(
    query: Mapping[str, str], today: dt.date
) -> tuple[Form, DashboardQuery | None]:
    """The evaluation's query (`nach`, `von`, `bis`) limited to the public views: no
    filters, no single opportunities (they have their own results pages)."""
    given = {name: query.get(name, "") for name in ("nach", "von", "bis")}
    form, parsed = parse_query(given, FilterChoices([], [], []), today, is_admin=False)
    if given["nach"] and given["nach"] not in {d.value for d in PUBLIC_DIMENSIONS}:
        form.errors["nach"] = _("Bitte wählen Sie einen Eintrag aus der Liste.")
        form.values["nach"] = given["nach"]
        return form, None
    return form, parsed


def public_dimension_choices() -> list[tuple[str, str]]:
    return [(d.value, _(DIMENSION_LABELS[d])) for d in PUBLIC_DIMENSIONS]


@dataclass(frozen=True)
class TransparencyPage:
    view: PublicDashboard
    charts: TransparencyCharts
    by_label: str
    period_text: str
    freshness: str


async def transparency_page(query: DashboardQuery, minimum: int) -> TransparencyPage:
    views = await public_views(query.period, minimum)
    view = views[query.dimension]
    return TransparencyPage(
        view=view,
        charts=transparency_charts(view),
        by_label=_(DIMENSION_LABELS[query.dimension]),
        period_text=period_text(query.period.first, query.period.last),
        freshness=freshness_text(view),
    )
