"""Public figures: small months are withheld, and no published figure gives them away."""

from __future__ import annotations

import datetime as dt
import itertools

from boerse.dashboards.figures import (
    Dashboard,
    Dimension,
    GroupFigures,
    Measures,
    MonthMeasures,
    Period,
    Scope,
)
from boerse.dashboards.freshness import Freshness
from boerse.dashboards.public import Shown, public_dashboard, withheld_cells

MAY, JUNE = dt.date(2026, 5, 1), dt.date(2026, 6, 1)
PERIOD = Period(MAY, JUNE)


def answers(responses: int, attended: int = 0, first: int = 0) -> Measures:
    return Measures(
        sign_ups=attended,
        attended=attended,
        hours=attended * 2.0,
        first_timers=first,
        invitations=responses * 2,
        responses=responses,
        rating_points=4.0 * responses,
        rating_answers=responses,
    )


def group(key: str, months: dict[dt.date, Measures]) -> GroupFigures:
    rows = [MonthMeasures(m, months.get(m, Measures())) for m in PERIOD.months]
    total = sum((row.measures for row in rows), Measures())
    return GroupFigures(key, f"Gruppe {key}", total, rows, Measures())


def dashboard(dimension: Dimension, groups: list[GroupFigures]) -> Dashboard:
    overall = group("*", {})
    months = [
        MonthMeasures(m, sum((g.months[i].measures for g in groups), Measures()))
        for i, m in enumerate(PERIOD.months)
    ]
    overall = GroupFigures(
        "", "Gesamt", sum((r.measures for r in months), Measures()), months, Measures()
    )
    return Dashboard(dimension, PERIOD, Scope(public=True), groups, overall, Freshness(None))


def test_a_month_with_one_answer_is_withheld_and_the_total_does_not_reveal_it() -> None:
    board = dashboard(Dimension.FIELD, [group("1", {MAY: answers(6), JUNE: answers(1)})])
    hidden = withheld_cells([board], 5)
    view = public_dashboard(board, hidden, 5)
    (row,) = view.groups
    may, june = row.months
    assert may.figures.responses == 6 and may.figures.answers is Shown.ALL
    assert may.figures.average_rating == 4.0
    assert june.figures.responses is None and june.figures.answers is Shown.WITHHELD
    assert june.figures.average_rating is None and june.figures.response_rate is None
    # The period shows only what the shown months add up to: 7 − 6 is never computable.
    assert row.total.responses == 6 and row.total.answers is Shown.PARTIAL
    assert view.overall.total.responses == 6
    assert view.overall.months[1].figures.responses is None


def test_the_town_month_does_not_reveal_a_withheld_group() -> None:
    groups = [
        group("1", {MAY: answers(9)}),
        group("2", {MAY: answers(2)}),
        group("3", {MAY: answers(7)}),
    ]
    board = dashboard(Dimension.MODE, groups)
    view = public_dashboard(board, withheld_cells([board], 5), 5)
    shown = [g.months[0].figures.responses for g in view.groups]
    town = view.overall.months[0].figures.responses
    assert shown[1] is None
    # Town minus the shown groups must not be 2: another group (the smaller) is withheld too.
    assert shown[2] is None and shown[0] == 9
    assert town == 18


def test_the_town_month_is_one_cell_for_every_dimension() -> None:
    fields = dashboard(
        Dimension.FIELD, [group("1", {MAY: answers(6)}), group("2", {MAY: answers(5)})]
    )
    modes = dashboard(
        Dimension.MODE, [group("a", {MAY: answers(8)}), group("b", {MAY: answers(3)})]
    )
    hidden = withheld_cells([fields, modes], 5)
    by_field = public_dashboard(fields, hidden, 5)
    by_mode = public_dashboard(modes, hidden, 5)
    # Mode b (3) is withheld; the mode view must hide the town or mode a. Whatever it hides,
    # the field view then must not give the town month back next to mode a.
    town_shown = by_field.overall.months[0].figures.responses is not None
    assert town_shown == (by_mode.overall.months[0].figures.responses is not None)
    if town_shown:
        assert by_mode.groups[0].months[0].figures.responses is None


def test_first_timers_and_returning_are_both_large_or_withheld() -> None:
    board = dashboard(
        Dimension.FIELD,
        [
            group("1", {MAY: answers(6, attended=12, first=10)}),
            group("2", {MAY: answers(6, attended=12, first=6)}),
        ],
    )
    view = public_dashboard(board, withheld_cells([board], 5), 5)
    small, fine = (g.months[0].figures for g in view.groups)
    assert small.attended == 12 and small.hours == 24.0
    assert small.first_timers is None and small.returning is None and small.split is Shown.WITHHELD
    assert (fine.first_timers is None) == (fine.returning is None)
    town = view.overall.months[0].figures
    # Town minus the shown groups must not give group 1's two returning people back.
    if town.returning is not None:
        assert town.returning - (fine.returning or 0) not in range(1, 5)
    alone = dashboard(Dimension.FIELD, [group("1", {MAY: answers(6, attended=12, first=6)})])
    figures = public_dashboard(alone, withheld_cells([alone], 5), 5).groups[0].months[0].figures
    assert (figures.first_timers, figures.returning) == (6, 6)


def test_withheld_participation_hides_sign_ups_and_hours() -> None:
    board = dashboard(Dimension.FIELD, [group("1", {MAY: answers(0, attended=3)})])
    figures = public_dashboard(board, withheld_cells([board], 5), 5).groups[0].months[0].figures
    assert (figures.sign_ups, figures.attended, figures.hours) == (None, None, None)
    assert figures.participation is Shown.WITHHELD
    assert figures.responses == 0 and figures.answers is Shown.ALL


def test_a_sub_goal_does_not_leave_a_small_rest_of_its_main_goal() -> None:
    board = dashboard(
        Dimension.GOAL, [group("1", {MAY: answers(8)}), group("2", {MAY: answers(6)})]
    )
    # Goal 1 is the main goal of goal 2 and counts its opportunities too.
    hidden = withheld_cells([board], 5, sub_goals={"2": "1"})
    figures = [g.months[0].figures.responses for g in public_dashboard(board, hidden, 5).groups]
    assert None in figures


def test_no_small_group_can_be_computed_from_any_pair_of_published_counts() -> None:
    """Brute force over a grid: every difference of two published counts of one month and
    dimension (town and groups) is 0, at least the minimum or the sum of shown figures."""
    for a, b, c in itertools.product((0, 1, 4, 5, 6, 9), repeat=3):
        board = dashboard(
            Dimension.MODE,
            [
                group("1", {MAY: answers(a)}),
                group("2", {MAY: answers(b)}),
                group("3", {MAY: answers(c)}),
            ],
        )
        view = public_dashboard(board, withheld_cells([board], 5), 5)
        shown = [g.months[0].figures.responses for g in view.groups]
        town = view.overall.months[0].figures.responses
        assert all(n is None or n == 0 or n >= 5 for n in [*shown, town])
        if town is not None:
            rest = town - sum(n for n in shown if n is not None)
            assert rest == 0 or rest >= 5, (a, b, c, shown, town)
