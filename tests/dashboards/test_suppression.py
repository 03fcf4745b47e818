"""Small counts are withheld, and no shown total minus shown parts reveals a small group."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from boerse.dashboards.suppression import Relation, leaks, suppressed_keys


def table_relations(rows: int, columns: int) -> list[Relation]:
    """A table of groups × months with row totals, column totals and a grand total."""
    relations = [
        Relation(("row", r), tuple(("cell", r, c) for c in range(columns))) for r in range(rows)
    ]
    relations += [
        Relation(("column", c), tuple(("cell", r, c) for r in range(rows))) for c in range(columns)
    ]
    relations.append(Relation("grand", tuple(("row", r) for r in range(rows))))
    relations.append(Relation("grand", tuple(("column", c) for c in range(columns))))
    return relations


def table_counts(cells: list[list[int]]) -> dict:
    counts: dict = {}
    for r, row in enumerate(cells):
        for c, n in enumerate(row):
            counts["cell", r, c] = n
        counts["row", r] = sum(row)
    for c in range(len(cells[0])):
        counts["column", c] = sum(row[c] for row in cells)
    counts["grand"] = sum(counts["row", r] for r in range(len(cells)))
    return counts


def test_a_month_with_one_answer_cannot_be_computed_from_the_total() -> None:
    counts = {"may": 6, "june": 1, "total": 7}
    hidden = suppressed_keys(counts, [Relation("total", ("may", "june"))], 5)
    assert "june" in hidden
    assert "may" in hidden or "total" in hidden
    assert hidden == {"june", "may"}  # the part goes first; the total of 7 stays readable


def test_zero_is_shown_and_large_counts_stay() -> None:
    counts = {"a": 0, "b": 9, "c": 12, "total": 21}
    assert suppressed_keys(counts, [Relation("total", ("a", "b", "c"))], 5) == set()


def test_a_small_total_without_shown_parts_is_withheld_itself() -> None:
    counts = {"a": 2, "b": 0, "total": 2}
    assert suppressed_keys(counts, [Relation("total", ("a", "b"))], 5) == {"a", "total"}


def test_a_sub_goal_may_not_leave_a_small_rest_of_its_main_goal() -> None:
    counts = {"main": 9, "sub": 7}
    hidden = suppressed_keys(counts, [Relation("main", ("sub",), partition=False)], 5)
    assert hidden == {"sub"}
    counts = {"main": 12, "sub": 7}
    assert suppressed_keys(counts, [Relation("main", ("sub",), partition=False)], 5) == set()


def test_a_hidden_total_is_not_given_away_by_all_its_parts() -> None:
    # The grand total is hidden by the month relation; the rows would still add up to it.
    counts = {"a": 5, "b": 5, "x": 6, "y": 4, "total": 10}
    relations = [Relation("total", ("a", "b")), Relation("total", ("x", "y"))]
    hidden = suppressed_keys(counts, relations, 5)
    assert not leaks(counts, relations, hidden, 5)
    assert "y" in hidden


def test_secondary_suppression_runs_until_stable_across_rows_and_columns() -> None:
    cells = [[6, 1, 8], [7, 9, 6], [0, 5, 3]]
    counts = table_counts(cells)
    relations = table_relations(3, 3)
    hidden = suppressed_keys(counts, relations, 5)
    assert ("cell", 0, 1) in hidden and ("cell", 2, 2) in hidden
    assert leaks(counts, relations, hidden, 5) == []


def test_leaks_names_what_is_unsafe_without_suppression() -> None:
    counts = {"may": 6, "june": 1, "total": 7}
    relation = Relation("total", ("may", "june"))
    assert leaks(counts, [relation], set(), 5) == [relation]
    assert leaks(counts, [relation], {"june"}, 5) == [relation]


@settings(max_examples=400, deadline=None)
@given(
    cells=st.integers(1, 4).flatmap(
        lambda columns: st.lists(
            st.lists(st.integers(0, 12), min_size=columns, max_size=columns),
            min_size=1,
            max_size=4,
        )
    ),
    minimum=st.integers(2, 6),
)
def test_no_relation_of_any_table_leaves_a_small_remainder(
    cells: list[list[int]], minimum: int
) -> None:
    counts = table_counts(cells)
    relations = table_relations(len(cells), len(cells[0]))
    hidden = suppressed_keys(counts, relations, minimum)
    assert leaks(counts, relations, hidden, minimum) == []
    for relation in relations:
        if relation.total in hidden:
            continue
        shown = sum(counts[part] for part in relation.parts if part not in hidden)
        assert not 0 < counts[relation.total] - shown < minimum
    # Nobody is never withheld: only counts above zero are.
    assert all(counts[key] > 0 for key in hidden)
