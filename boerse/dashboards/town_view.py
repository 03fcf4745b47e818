"""The evaluation dashboard for officers and the administration, as a page and as CSV.

`evaluation(query, scope)` is the page's service call: it reads the dashboard from the
rollup (`reports.dashboard`) and turns its sums into what the page shows: key figures of the
period against the previous one, trend and comparison charts (`charts`), and a line per group
with its drill-down. `dashboard_csv` writes the same figures one row per group and month,
like the other CSV exports (`;`, German decimal comma, formula-safe text, a BOM for Excel)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass

from boerse.accounts.tables import Organisation
from boerse.dashboards import reports
from boerse.dashboards.charts import (
    BarChart,
    Reference,
    SeriesInput,
    TrendChart,
    Unit,
    bar_chart,
    format_value,
    month_label,
    trend_chart,
)
from boerse.dashboards.figures import Dashboard, Dimension, GroupFigures, Measures, Scope
from boerse.dashboards.town_schemas import DIMENSION_LABELS, DashboardQuery, FilterChoices
from boerse.goals.services import field_choices, goal_tree
from boerse.lib.formatting import number
from boerse.lib.i18n import N_, ngettext
from boerse.lib.i18n import gettext as _
from boerse.questionnaires.export import DELIMITER, escape_cell, format_number

CHART_GROUPS = 20
"""Groups drawn in a comparison chart; the table below it lists all of them."""


@dataclass(frozen=True)
class Figure:
    """A key figure: how it is named, read from the sums, and written."""

    label: str
    read: Callable[[Measures], float | None]
    unit: Unit
    points: bool = False
    """Shares change by percentage points, not by percent."""


KEY_FIGURES = (
    Figure(N_("Anmeldungen"), lambda m: m.sign_ups, Unit.COUNT),
    Figure(N_("Teilnahmen"), lambda m: m.attended, Unit.COUNT),
    Figure(N_("Eingetragene Stunden"), lambda m: m.hours, Unit.HOURS),
    Figure(N_("Zum ersten Mal dabei"), lambda m: m.first_timers, Unit.COUNT),
    Figure(N_("Wieder dabei"), lambda m: m.returning, Unit.COUNT),
    Figure(N_("Umfragen verschickt"), lambda m: m.invitations, Unit.COUNT),
    Figure(N_("Antworten"), lambda m: m.responses, Unit.COUNT),
    Figure(N_("Rücklaufquote"), lambda m: m.response_rate, Unit.PERCENT, points=True),
    Figure(N_("Bewertung im Durchschnitt (1 bis 5)"), lambda m: m.average_rating, Unit.RATING),
    Figure(N_("Zustimmung"), lambda m: m.agreement_share, Unit.PERCENT, points=True),
)


@dataclass(frozen=True)
class KeyFigure:
    label: str
    value: str
    previous: str
    change: str
    """"+12", "−3,5 Prozentpunkte", "unverändert" or "" when either side has no value."""


def change_text(current: float | None, previous: float | None, figure: Figure) -> str:
    if current is None or previous is None:
        return ""
    digits = 0 if figure.unit in (Unit.COUNT, Unit.PERCENT) else 1
    difference = round(current - previous, digits)
    if difference == 0:
        return _("unverändert")
    sign = "+" if difference > 0 else "\u2212"
    text = sign + number(abs(difference), digits)
    if figure.points:
        return _("{change} Prozentpunkte").format(change=text)
    return text


def key_figures(group: GroupFigures) -> list[KeyFigure]:
    figures = []
    for figure in KEY_FIGURES:
        current, previous = figure.read(group.total), figure.read(group.previous)
        figures.append(
            KeyFigure(
                label=_(figure.label),
                value=format_value(current, figure.unit),
                previous=format_value(previous, figure.unit),
                change=change_text(current, previous, figure),
            )
        )
    return figures


@dataclass(frozen=True)
class GroupLine:
    """A group's line in the table: the figures as written and what its name links to."""

    key: str
    label: str
    cells: list[str]
    opportunity_id: int | None
    """Set for opportunities: the link goes to the officer's results page."""
    drill_down: dict[str, str] | None
    """Otherwise the query of the same dashboard narrowed to this group, by opportunity."""


TABLE_FIGURES = (
    KEY_FIGURES[0],
    KEY_FIGURES[1],
    KEY_FIGURES[2],
    KEY_FIGURES[3],
    KEY_FIGURES[6],
    KEY_FIGURES[7],
    KEY_FIGURES[8],
    KEY_FIGURES[9],
)
"""The columns of the group table (the key figures less the ones read off others)."""

FILTER_OF = {Dimension.FIELD: "handlungsfeld", Dimension.MODE: "modus", Dimension.GOAL: "ziel"}


def group_label(dimension: Dimension, group: GroupFigures) -> str:
    """Fields and modes are msgids of the curated lists; titles and goals are as written."""
    if dimension in (Dimension.FIELD, Dimension.MODE):
        return _(group.label)
    return group.label


def group_lines(dashboard: Dashboard, query: DashboardQuery) -> list[GroupLine]:
    lines = []
    for group in dashboard.groups:
        is_offer = dashboard.dimension is Dimension.OPPORTUNITY
        lines.append(
            GroupLine(
                key=group.key,
                label=group_label(dashboard.dimension, group),
                cells=[format_value(f.read(group.total), f.unit) for f in TABLE_FIGURES],
                opportunity_id=int(group.key) if is_offer else None,
                drill_down=None
                if is_offer
                else query.params(
                    nach=Dimension.OPPORTUNITY.value, **{FILTER_OF[dashboard.dimension]: group.key}
                ),
            )
        )
    return lines


def trend_charts(dashboard: Dashboard) -> list[TrendChart]:
    """Participation and answers per month; agreement and rating per month against the
    whole previous period (a dashed line)."""
    overall = dashboard.overall
    months = [entry.month for entry in overall.months]
    measures = [entry.measures for entry in overall.months]
    charts = [
        trend_chart(
            "verlauf-teilnahme",
            _("Teilnahmen und Antworten je Monat"),
            months,
            [
                SeriesInput(_("Teilnahmen"), [float(m.attended) for m in measures]),
                SeriesInput(_("Antworten"), [float(m.responses) for m in measures]),
            ],
            Unit.COUNT,
        )
    ]
    for key, title, label, read, unit in (
        (
            "verlauf-zustimmung",
            _("Zustimmung je Monat"),
            _("Zustimmung"),
            lambda m: m.agreement_share,
            Unit.PERCENT,
        ),
        (
            "verlauf-bewertung",
            _("Bewertung im Durchschnitt je Monat"),
            _("Bewertung"),
            lambda m: m.average_rating,
            Unit.RATING,
        ),
    ):
        before = read(overall.previous)
        charts.append(
            trend_chart(
                key,
                title,
                months,
                [SeriesInput(label, [read(m) for m in measures])],
                unit,
                reference=Reference(_("Vorzeitraum insgesamt"), before)
                if before is not None
                else None,
            )
        )
    return charts


def comparison_charts(dashboard: Dashboard) -> list[BarChart]:
    """Agreement and rating per group (the first `CHART_GROUPS`), against the town when the
    view is narrowed (an organisation, a filter), else against all groups together."""
    against = dashboard.town or dashboard.overall
    against_label = _("Stadt insgesamt") if dashboard.town else _("Alle zusammen")
    by = _(DIMENSION_LABELS[dashboard.dimension])
    groups = dashboard.groups[:CHART_GROUPS]
    charts = []
    for key, title, label, read, unit in (
        (
            "vergleich-zustimmung",
            _("Zustimmung nach {by}").format(by=by),
            _("Zustimmung"),
            lambda m: m.agreement_share,
            Unit.PERCENT,
        ),
        (
            "vergleich-bewertung",
            _("Bewertung im Durchschnitt nach {by}").format(by=by),
            _("Bewertung"),
            lambda m: m.average_rating,
            Unit.RATING,
        ),
    ):
        reference = read(against.total)
        charts.append(
            bar_chart(
                key,
                title,
                [(group_label(dashboard.dimension, g), read(g.total)) for g in groups],
                unit,
                value_label=label,
                reference=Reference(against_label, reference) if reference is not None else None,
            )
        )
    return charts


def freshness_text(dashboard: Dashboard) -> str:
    minutes = dashboard.freshness.minutes_behind()
    if minutes is None:
        return _(
            "Die Zahlen werden gerade zum ersten Mal berechnet; bitte schauen Sie gleich noch einmal."
        )
    if minutes < 1:
        return _("Stand: gerade eben")
    if minutes < 120:
        return ngettext("Stand: vor %(num)s Minute", "Stand: vor %(num)s Minuten", minutes) % {
            "num": minutes
        }
    hours = minutes // 60
    if hours < 48:
        return ngettext("Stand: vor %(num)s Stunde", "Stand: vor %(num)s Stunden", hours) % {
            "num": hours
        }
    days = hours // 24
    return ngettext("Stand: vor %(num)s Tag", "Stand: vor %(num)s Tagen", days) % {"num": days}


@dataclass(frozen=True)
class Evaluation:
    dashboard: Dashboard
    scope_name: str
    by_label: str
    """What the groups are ("Handlungsfeld")."""
    """The organisation's name, or the town's "Ganze Stadt"."""
    period_text: str
    previous_text: str
    freshness: str
    figures: list[KeyFigure]
    trends: list[TrendChart]
    comparisons: list[BarChart]
    lines: list[GroupLine]
    table_headers: list[str]
    more_in_charts: int
    """Groups beyond the charts' `CHART_GROUPS` (they are in the table)."""


def period_text(first, last) -> str:
    return _("{first} bis {last}").format(first=month_label(first), last=month_label(last))


async def filter_choices(organisation_id: int | None, *, is_admin: bool) -> FilterChoices:
    """Fields, goals (sub-goals under their main goal) and organisations: three queries."""
    fields = [(field_id, _(name)) for field_id, name in await field_choices()]
    goals = []
    for branch in await goal_tree():
        goals.append((branch.goal.id, branch.goal.title))
        goals.extend((sub.id, f"{branch.goal.title} › {sub.title}") for sub in branch.subs)
    query = Organisation.select(Organisation.id, Organisation.name).order_by(Organisation.name)
    if not is_admin:
        query = query.where(Organisation.id == (organisation_id or 0))
    organisations = [(row["id"], row["name"]) for row in await query]
    return FilterChoices(fields=fields, goals=goals, organisations=organisations)


async def load_dashboard(query: DashboardQuery, scope: Scope) -> Dashboard:
    return await reports.dashboard(
        query.dimension,
        query.period,
        scope,
        field_id=query.field_id,
        mode=query.mode,
        goal_id=query.goal_id,
    )


async def evaluation(query: DashboardQuery, scope: Scope, choices: FilterChoices) -> Evaluation:
    dashboard = await load_dashboard(query, scope)
    names = dict(choices.organisations)
    scope_name = (
        names.get(scope.organisation_id, "")
        if scope.organisation_id is not None
        else _("Ganze Stadt")
    )
    previous = query.period.previous()
    return Evaluation(
        dashboard=dashboard,
        scope_name=scope_name,
        by_label=_(DIMENSION_LABELS[query.dimension]),
        period_text=period_text(query.period.first, query.period.last),
        previous_text=period_text(previous.first, previous.last),
        freshness=freshness_text(dashboard),
        figures=key_figures(dashboard.overall),
        trends=trend_charts(dashboard),
        comparisons=comparison_charts(dashboard),
        lines=group_lines(dashboard, query),
        table_headers=[_(f.label) for f in TABLE_FIGURES],
        more_in_charts=max(0, len(dashboard.groups) - CHART_GROUPS),
    )


CSV_HEADERS = (
    N_("Gruppe"),
    N_("Schlüssel"),
    N_("Monat"),
    N_("Anmeldungen"),
    N_("Teilnahmen"),
    N_("Eingetragene Stunden"),
    N_("Zum ersten Mal dabei"),
    N_("Wieder dabei"),
    N_("Umfragen verschickt"),
    N_("Antworten"),
    N_("Rücklaufquote (%)"),
    N_("Bewertungen"),
    N_("Bewertung im Durchschnitt"),
    N_("Antworten auf Indikatorfragen"),
    N_("Davon zustimmend"),
    N_("Zustimmung (%)"),
)


def _optional(value: float | None) -> str:
    return format_number(round(value, 2)) if value is not None else ""


def csv_row(label: str, key: str, month: str, m: Measures) -> list[str]:
    return [
        escape_cell(label),
        escape_cell(key),
        month,
        str(m.sign_ups),
        str(m.attended),
        format_number(round(m.hours, 2)),
        str(m.first_timers),
        str(m.returning),
        str(m.invitations),
        str(m.responses),
        _optional(m.response_rate),
        str(m.rating_answers),
        _optional(m.average_rating),
        str(m.agreement_answers),
        str(m.agreeing),
        _optional(m.agreement_share),
    ]


def dashboard_csv(dashboard: Dashboard) -> str:
    """One row per group and month (long format: a spreadsheet filters and pivots it), the
    sums as well as the shares, so a reader can add months up again."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=DELIMITER, lineterminator="\r\n")
    writer.writerow([_(header) for header in CSV_HEADERS])
    for group in dashboard.groups:
        label = group_label(dashboard.dimension, group)
        for entry in group.months:
            writer.writerow(csv_row(label, group.key, f"{entry.month:%Y-%m}", entry.measures))
    return "\ufeff" + buffer.getvalue()


def csv_filename(query: DashboardQuery) -> str:
    return (
        f"auswertung-{query.dimension.value}-{query.period.first:%Y-%m}"
        f"-bis-{query.period.last:%Y-%m}.csv"
    )
