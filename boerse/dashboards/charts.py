"""Charts as drawing data: figures in, coordinates, ticks, labels and a summary out.

Everything a chart shows is computed here, in Python, so the page is a plain inline SVG that
needs no script and prints as it looks; the template (`dashboards/_charts.html`) only places
what it is given. Every chart carries its title, a one-sentence summary for people who do not
see it, and the same figures as a table (and the page offers them as CSV), so the drawing is
never the only way to the numbers. Series differ by line pattern, marker shape and a text
label, never by colour alone. A missing value (None: nobody invited, no answer, or withheld)
leaves a gap in the line or an empty bar slot and is named in the summary.

The drawing is laid out in a fixed viewBox (`WIDTH` × height) and scaled by CSS."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from babel.dates import format_date

from boerse.lib.formatting import number
from boerse.lib.i18n import current_locale
from boerse.lib.i18n import gettext as _

WIDTH = 640
TREND_HEIGHT = 260
LEFT, RIGHT, TOP, BOTTOM = 56, 24, 36, 44
"""Room around a trend's plot: value ticks left, series labels above, months below."""
BAR_ROW = 44
"""Height of one group in a bar chart: its name above its bar."""
BAR_TOP = 32
MAX_LABEL = 60
"""Characters of a group's name drawn in the SVG (the table below has the full name)."""
PATTERNS = ("solid", "dashed", "dotted")
"""Line pattern and marker per series, in order; CSS classes `chart-series--<pattern>`."""


class Unit(StrEnum):
    """How values are scaled and written."""

    PERCENT = "percent"
    """0 to 100, the axis always to 100 %."""
    RATING = "rating"
    """1 to 5 stars, the axis always to 5."""
    COUNT = "count"
    """Whole numbers, the axis to a round number above the largest."""
    HOURS = "hours"
    """Hours with one decimal, the axis like counts."""


def format_value(value: float | None, unit: Unit) -> str:
    """A value as the page and the table write it ("62 %", "4,3", "1.250")."""
    if value is None:
        return _("keine Angabe")
    if unit is Unit.PERCENT:
        return f"{number(value, 0)}\u00a0%"
    if unit is Unit.RATING:
        return number(value, 1)
    if unit is Unit.HOURS:
        return number(value, 1)
    return number(value, 0)


def month_label(month: dt.date, form: str = "MMMM y") -> str:
    return format_date(month, format=form, locale=current_locale.get())


@dataclass(frozen=True)
class Tick:
    position: float
    """x (months) or y (values) in the drawing."""
    label: str


def nice_top(largest: float) -> float:
    """The smallest 1, 2, 2.5 or 5 × 10ⁿ at or above the largest value (at least 1), so the
    axis ends on a round number."""
    if largest <= 1:
        return 1.0
    power = 10 ** math.floor(math.log10(largest))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= largest:
            return float(step * power)
    return float(10 * power)  # pragma: no cover - the loop always returns


def axis_top(unit: Unit, values: Sequence[float | None]) -> float:
    if unit is Unit.PERCENT:
        return 100.0
    if unit is Unit.RATING:
        return 5.0
    return nice_top(max((v for v in values if v is not None), default=0.0))


def value_ticks(top: float, unit: Unit) -> list[float]:
    """Quarters of 100 % for shares, one tick per star for ratings; counts and hours step by
    a round number (0, 10, 20 … 50), never by a fraction a count cannot have."""
    if unit is Unit.PERCENT:
        return [25.0 * step for step in range(5)]
    if unit is Unit.RATING:
        return [float(step) for step in range(6)]
    step = nice_top(top / 5)
    return [step * index for index in range(round(top / step) + 1)]


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: float
    text: str
    """The value as written, for the point's tooltip-free label in the table."""


@dataclass(frozen=True)
class Series:
    label: str
    pattern: str
    """solid, dashed or dotted: the CSS class and the marker shape."""
    points: list[Point]
    segments: list[str]
    """SVG `points` attribute values, one per run of months without a gap."""
    label_x: float
    label_y: float


@dataclass(frozen=True)
class Reference:
    """A comparison value drawn as a dashed line with its label (the previous period, the
    town as a whole)."""

    label: str
    value: float


@dataclass(frozen=True)
class ReferenceLine:
    label: str
    text: str
    """Label and value as written next to the line."""
    x1: float
    y1: float
    x2: float
    y2: float
    label_x: float
    label_y: float


@dataclass(frozen=True)
class ChartTable:
    """The chart's figures as a table: a header row, then one row per month or group."""

    caption: str
    headers: list[str]
    rows: list[tuple[str, list[str]]]
    """Row header (month or group) and its cells."""


@dataclass(frozen=True)
class Bar:
    label: str
    """The group's name, shortened to `MAX_LABEL` characters for the drawing."""
    text: str
    """The value as written at the bar's end ("keine Angabe" without a value)."""
    x: float
    y: float
    width: float
    height: float
    label_y: float
    text_x: float
    missing: bool


@dataclass(frozen=True)
class ChartFrame:
    """What every chart has: its texts, its size and the plot area inside the axes."""

    key: str
    """Unique on the page: the ids of title, summary and table derive from it."""
    title: str
    summary: str
    width: int
    height: int
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float


@dataclass(frozen=True)
class TrendChart(ChartFrame):
    """A line per series over the months, an optional reference line."""

    kind = "trend"
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    series: list[Series]
    reference: ReferenceLine | None
    table: ChartTable


@dataclass(frozen=True)
class BarChart(ChartFrame):
    """Horizontal bars, one per group, with the reference as a vertical dashed line."""

    kind = "bars"
    x_ticks: list[Tick]
    bars: list[Bar]
    reference: ReferenceLine | None
    table: ChartTable


@dataclass(frozen=True)
class SeriesInput:
    """One line of a trend: its name and a value per month (None for a gap)."""

    label: str
    values: Sequence[float | None]


def _r(value: float) -> float:
    return round(value, 1)


def _segments(points: Sequence[Point | None]) -> list[str]:
    runs: list[list[Point]] = [[]]
    for point in points:
        if point is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append(point)
    return [" ".join(f"{p.x},{p.y}" for p in run) for run in runs if run]


def _series_sentence(label: str, months: Sequence[dt.date], values, unit: Unit) -> str | None:
    shown = [(m, v) for m, v in zip(months, values, strict=True) if v is not None]
    if not shown:
        return None
    (first_month, first), (last_month, last) = shown[0], shown[-1]
    words = {
        "label": label,
        "first": format_value(first, unit),
        "last": format_value(last, unit),
        "first_month": month_label(first_month),
        "last_month": month_label(last_month),
    }
    if len(shown) == 1:
        return _("{label}: {first} im {first_month}").format(**words)
    if format_value(first, unit) == format_value(last, unit):
        return _("{label} lag im {first_month} wie im {last_month} bei {first}").format(**words)
    if last > first:
        return _("{label} stieg von {first} im {first_month} auf {last} im {last_month}").format(
            **words
        )
    return _("{label} sank von {first} im {first_month} auf {last} im {last_month}").format(**words)


def _missing_sentence(names: Sequence[str]) -> str:
    if not names:
        return ""
    return " " + _("Ohne Wert: {names}.").format(names=", ".join(names))


def _reference_sentence(reference: Reference | None, unit: Unit) -> str:
    if reference is None:
        return ""
    return " " + _("{label}: {value}.").format(
        label=reference.label, value=format_value(reference.value, unit)
    )


def _x_ticks(months: Sequence[dt.date], xs: Sequence[float]) -> list[Tick]:
    """Every month labelled up to 12 months, else every second or third; the year is written
    at the first month and at each January."""
    step = 1 if len(months) <= 12 else math.ceil(len(months) / 12)
    ticks = []
    for index, (month, x) in enumerate(zip(months, xs, strict=True)):
        if index % step:
            continue
        form = "MMM yy" if index == 0 or month.month == 1 else "MMM"
        ticks.append(Tick(x, month_label(month, form)))
    return ticks


def trend_chart(
    key: str,
    title: str,
    months: Sequence[dt.date],
    series: Sequence[SeriesInput],
    unit: Unit,
    *,
    reference: Reference | None = None,
) -> TrendChart:
    """Lines over the months (at most three series, told apart by pattern, marker and name);
    `reference` adds a dashed horizontal line, e.g. the whole previous period."""
    height = TREND_HEIGHT
    plot_left, plot_right = LEFT, WIDTH - RIGHT
    plot_top, plot_bottom = TOP, height - BOTTOM
    all_values = [v for s in series for v in s.values]
    top = axis_top(unit, [*all_values, reference.value if reference else None])
    slot = (plot_right - plot_left) / max(len(months), 1)
    xs = [_r(plot_left + slot * (index + 0.5)) for index in range(len(months))]

    def y_of(value: float) -> float:
        return _r(plot_bottom - (plot_bottom - plot_top) * min(value / top, 1.0))

    drawn = []
    for index, entry in enumerate(series):
        points = [
            None if value is None else Point(x, y_of(value), value, format_value(value, unit))
            for x, value in zip(xs, entry.values, strict=True)
        ]
        # Series names stand in a row above the plot, each after its own marker.
        drawn.append(
            Series(
                label=entry.label,
                pattern=PATTERNS[index % len(PATTERNS)],
                points=[p for p in points if p is not None],
                segments=_segments(points),
                label_x=_r(plot_left + index * (plot_right - plot_left) / max(len(series), 2)),
                label_y=14,
            )
        )
    line = None
    if reference is not None:
        y = y_of(reference.value)
        line = ReferenceLine(
            reference.label,
            format_value(reference.value, unit),
            plot_left,
            y,
            plot_right,
            y,
            plot_right,
            _r(y - 4),
        )
    sentences = [
        sentence
        for entry in series
        if (sentence := _series_sentence(entry.label, months, entry.values, unit))
    ]
    gaps = [
        month_label(month)
        for index, month in enumerate(months)
        if all(entry.values[index] is None for entry in series)
    ]
    summary = (
        ("; ".join(sentences) + "." if sentences else _("Im Zeitraum gibt es keine Werte."))
        + _reference_sentence(reference, unit)
        + _missing_sentence(gaps)
    )
    table = ChartTable(
        caption=title,
        headers=[_("Monat"), *(entry.label for entry in series)],
        rows=[
            (month_label(month), [format_value(entry.values[index], unit) for entry in series])
            for index, month in enumerate(months)
        ],
    )
    return TrendChart(
        key=key,
        title=title,
        summary=summary,
        width=WIDTH,
        height=height,
        plot_left=plot_left,
        plot_right=plot_right,
        plot_top=plot_top,
        plot_bottom=plot_bottom,
        x_ticks=_x_ticks(months, xs),
        y_ticks=[Tick(y_of(v), format_value(v, unit)) for v in value_ticks(top, unit)],
        series=drawn,
        reference=line,
        table=table,
    )


def _shorten(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1].rstrip() + "…"


def bar_chart(
    key: str,
    title: str,
    groups: Sequence[tuple[str, float | None]],
    unit: Unit,
    *,
    value_label: str,
    reference: Reference | None = None,
) -> BarChart:
    """A bar per group (name above it, value written at its end); `reference` is drawn as a
    dashed vertical line labelled with its name and value, e.g. the town as a whole."""
    plot_left, plot_right = 8.0, float(WIDTH - 96)
    plot_top = float(BAR_TOP)
    height = int(BAR_TOP + BAR_ROW * len(groups) + 28)
    plot_bottom = float(height - 28)
    top = axis_top(unit, [v for _name, v in groups] + [reference.value if reference else None])

    def x_of(value: float) -> float:
        return _r(plot_left + (plot_right - plot_left) * min(value / top, 1.0))

    bars = []
    for index, (name, value) in enumerate(groups):
        row_top = plot_top + BAR_ROW * index
        width = x_of(value) - plot_left if value is not None else 0.0
        bars.append(
            Bar(
                label=_shorten(name),
                text=format_value(value, unit),
                x=plot_left,
                y=_r(row_top + 20),
                width=_r(width),
                height=18.0,
                label_y=_r(row_top + 14),
                text_x=_r(plot_left + width + 6),
                missing=value is None,
            )
        )
    line = None
    if reference is not None:
        x = x_of(reference.value)
        line = ReferenceLine(
            reference.label,
            format_value(reference.value, unit),
            x,
            plot_top - 6,
            x,
            plot_bottom,
            x,
            plot_top - 12,
        )
    shown = [(name, v) for name, v in groups if v is not None]
    if shown:
        high = max(shown, key=lambda item: item[1])
        low = min(shown, key=lambda item: item[1])
        if len(shown) == 1 or high[1] == low[1]:
            sentence = _("{value_label}: {value} bei {names}.").format(
                value_label=value_label,
                value=format_value(high[1], unit),
                names=", ".join(name for name, _v in shown),
            )
        else:
            sentence = _(
                "{value_label}: am höchsten bei {high} ({high_value}), am niedrigsten bei "
                "{low} ({low_value})."
            ).format(
                value_label=value_label,
                high=high[0],
                high_value=format_value(high[1], unit),
                low=low[0],
                low_value=format_value(low[1], unit),
            )
    else:
        sentence = _("Keine Gruppe hat einen Wert.")
    summary = (
        sentence
        + _reference_sentence(reference, unit)
        + _missing_sentence([name for name, v in groups if v is None])
    )
    rows = [(name, [format_value(value, unit)]) for name, value in groups]
    if reference is not None:
        rows.append((reference.label, [format_value(reference.value, unit)]))
    table = ChartTable(caption=title, headers=[_("Gruppe"), value_label], rows=rows)
    return BarChart(
        key=key,
        title=title,
        summary=summary,
        width=WIDTH,
        height=height,
        plot_left=plot_left,
        plot_right=plot_right,
        plot_top=plot_top,
        plot_bottom=plot_bottom,
        x_ticks=[Tick(x_of(v), format_value(v, unit)) for v in value_ticks(top, unit)],
        bars=bars,
        reference=line,
        table=table,
    )
