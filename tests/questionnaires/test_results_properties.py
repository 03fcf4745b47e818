"""Rules of the aggregates that hold for any tally (property tests, no database)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from boerse.questionnaires.aggregates import (
    MAP_HEIGHT,
    MAP_WIDTH,
    Light,
    light_of,
    map_points,
    question_result,
)
from boerse.questionnaires.kinds import AGREEMENT_OPTIONS, DONT_KNOW, fixed_options
from boerse.questionnaires.model import QuestionRow, StopRow, VersionPlan


def row(kind: str, allow_dont_know: bool = True) -> QuestionRow:
    return QuestionRow(1, 0, 1, "", kind, "Frage", "", False,
                       fixed_options(kind, allow_dont_know), allow_dont_know, False, None, None)  # fmt: skip


PLAN = VersionPlan(1, 1, 1, "survey", "Titel", "", ())
counts = st.integers(min_value=0, max_value=10_000)


@given(st.dictionaries(st.sampled_from(["4", "3", "2", "1", DONT_KNOW]), counts))
def test_agreement_shares_add_up_and_stay_on_the_scale(tally: dict[str, int]) -> None:
    result = question_result(row("agreement"), PLAN, {k: (n, 0.0) for k, n in tally.items()})

    assert [bar.key for bar in result.bars] == [o.key for o in AGREEMENT_OPTIONS] + [DONT_KNOW]
    assert result.answers == sum(tally.values())
    if result.answers:
        assert abs(sum(bar.percent for bar in result.bars) - 100) < 1e-6
    scored = sum(n for key, n in tally.items() if key != DONT_KNOW)
    if scored:
        assert 1 <= result.average <= 4 and 0 <= result.agreement <= 100
    else:
        assert result.average is None and result.agreement is None


@given(st.integers(0, 500), st.integers(0, 500), st.integers(0, 500))
def test_a_criterion_s_light_follows_its_yes_share(yes: int, no: int, na: int) -> None:
    result = question_result(
        row("checklist", False), PLAN, {"yes": (yes, 0.0), "no": (no, 0.0), "na": (na, 0.0)}
    )

    if yes + no == 0:
        assert result.yes_share is None and result.light == Light.NO_DATA
    else:
        assert result.light == light_of(100 * yes / (yes + no)) != Light.NO_DATA


coordinates = st.tuples(st.floats(47.0, 55.0), st.floats(6.0, 15.0))


@given(st.lists(coordinates, min_size=1, max_size=30))
def test_every_located_stop_lands_inside_the_map(points: list[tuple[float, float]]) -> None:
    stops = tuple(StopRow(n, n, f"Halt {n}", "", lat, lon) for n, (lat, lon) in enumerate(points))

    placed = map_points(stops)

    assert set(placed) == {s.id for s in stops}
    assert all(-1e-6 <= x <= MAP_WIDTH + 1e-6 and -1e-6 <= y <= MAP_HEIGHT + 1e-6
               for x, y in placed.values())  # fmt: skip
