"""Chart drawing data: exact coordinates, ticks, gaps and the summary sentence."""

from __future__ import annotations

import datetime as dt

from boerse.dashboards.charts import (
    Reference,
    SeriesInput,
    Unit,
    bar_chart,
    format_value,
    nice_top,
    trend_chart,
)
from boerse.dashboards.figures import Period

MAY_TO_OCTOBER = Period(dt.date(2026, 5, 1), dt.date(2026, 10, 1)).months


def test_a_trend_has_a_gap_for_each_missing_month_and_names_it() -> None:
    chart = trend_chart(
        "z",
        "Zustimmung je Monat",
        MAY_TO_OCTOBER,
        [SeriesInput("Zustimmung", [62, None, 65, 70, None, 71])],
        Unit.PERCENT,
        reference=Reference("Vorzeitraum", 58),
    )

    (series,) = chart.series
    assert series.pattern == "solid"
    assert [(p.x, p.y) for p in series.points] == [
        (102.7, 104.4),
        (289.3, 99.0),
        (382.7, 90.0),
        (569.3, 88.2),
    ]
    assert series.segments == ["102.7,104.4", "289.3,99.0 382.7,90.0", "569.3,88.2"]
    assert [(t.position, t.label) for t in chart.y_ticks] == [
        (216.0, "0\u00a0%"),
        (171.0, "25\u00a0%"),
        (126.0, "50\u00a0%"),
        (81.0, "75\u00a0%"),
        (36.0, "100\u00a0%"),
    ]
    assert [t.label for t in chart.x_ticks] == ["Mai 26", "Juni", "Juli", "Aug.", "Sept.", "Okt."]
    assert (chart.reference.y1, chart.reference.text) == (111.6, "58\u00a0%")
    assert chart.summary == (
        "Zustimmung stieg von 62\u00a0% im Mai 2026 auf 71\u00a0% im Oktober 2026. "
        "Vorzeitraum: 58\u00a0%. Ohne Wert: Juni 2026, September 2026."
    )
    assert chart.table.headers == ["Monat", "Zustimmung"]
    assert chart.table.rows[1] == ("Juni 2026", ["keine Angabe"])
    assert chart.table.rows[5] == ("Oktober 2026", ["71\u00a0%"])


def test_a_second_series_is_dashed_and_counts_get_a_round_axis() -> None:
    chart = trend_chart(
        "t",
        "Teilnahme und Antworten",
        MAY_TO_OCTOBER[:3],
        [SeriesInput("Teilnahmen", [30, 12, 0]), SeriesInput("Antworten", [9, 9, None])],
        Unit.COUNT,
    )

    assert [s.pattern for s in chart.series] == ["solid", "dashed"]
    assert [t.label for t in chart.y_ticks] == ["0", "10", "20", "30", "40", "50"]
    assert chart.summary == (
        "Teilnahmen sank von 30 im Mai 2026 auf 0 im Juli 2026; "
        "Antworten lag im Mai 2026 wie im Juni 2026 bei 9."
    )
    assert chart.table.rows[2] == ("Juli 2026", ["0", "keine Angabe"])


def test_a_trend_without_any_value_says_so() -> None:
    chart = trend_chart(
        "r", "Bewertung", MAY_TO_OCTOBER[:2], [SeriesInput("Bewertung", [None, None])], Unit.RATING
    )

    assert chart.series[0].segments == []
    assert chart.summary == "Im Zeitraum gibt es keine Werte. Ohne Wert: Mai 2026, Juni 2026."
    assert [t.label for t in chart.y_ticks] == ["0", "1", "2", "3", "4", "5"]


def test_bars_compare_groups_with_the_town_as_a_reference_line() -> None:
    chart = bar_chart(
        "b",
        "Zustimmung nach Handlungsfeld",
        [("Umwelt", 71.0), ("Soziales", 40.0), ("Kultur", None)],
        Unit.PERCENT,
        value_label="Zustimmung",
        reference=Reference("Stadt insgesamt", 58.0),
    )

    umwelt, soziales, kultur = chart.bars
    assert (umwelt.x, umwelt.y, umwelt.width, umwelt.text_x) == (8.0, 52.0, 380.6, 394.6)
    assert (soziales.y, soziales.label_y, soziales.width, soziales.text) == (
        96.0,
        90.0,
        214.4,
        "40\u00a0%",
    )
    assert kultur.missing and kultur.width == 0.0 and kultur.text == "keine Angabe"
    assert chart.height == 192
    assert (chart.reference.x1, chart.reference.y2) == (318.9, 164.0)
    assert chart.summary == (
        "Zustimmung: am höchsten bei Umwelt (71\u00a0%), am niedrigsten bei Soziales (40\u00a0%). "
        "Stadt insgesamt: 58\u00a0%. Ohne Wert: Kultur."
    )
    assert chart.table.rows[-1] == ("Stadt insgesamt", ["58\u00a0%"])


def test_long_group_names_are_shortened_in_the_drawing_only() -> None:
    name = "Ein sehr langer Titel eines Angebots, der nicht in eine Zeile der Grafik passt"
    chart = bar_chart("b", "Titel", [(name, 4.2)], Unit.RATING, value_label="Bewertung")

    assert chart.bars[0].label == name[:59].rstrip() + "…"
    assert chart.table.rows == [(name, ["4,2"])]
    assert chart.summary == f"Bewertung: 4,2 bei {name}."


def test_axis_tops_are_round_numbers() -> None:
    assert [nice_top(v) for v in (0, 0.5, 7, 10, 12, 120, 250, 1250)] == [
        1.0,
        1.0,
        10.0,
        10.0,
        20.0,
        200.0,
        250.0,
        2000.0,
    ]
    assert format_value(1250, Unit.COUNT) == "1.250"
    assert format_value(3.25, Unit.HOURS) == "3,2"
