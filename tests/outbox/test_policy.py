"""The retry policy: growing pauses, capped at a day, giving up after about two and a half days."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from boerse.outbox import policy


@given(st.integers(min_value=1, max_value=200))
def test_pauses_never_shrink_and_never_pass_a_day(attempts: int) -> None:
    assert policy.pause_after(attempts) <= policy.pause_after(attempts + 1)
    assert policy.FIRST_PAUSE <= policy.pause_after(attempts) <= policy.LONGEST_PAUSE


def test_first_pauses_double_from_thirty_seconds() -> None:
    assert [policy.pause_after(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]


def test_the_budget_outlasts_a_weekend_but_not_a_week() -> None:
    assert dt.timedelta(days=2) < policy.retry_budget() < dt.timedelta(days=3)
    assert not policy.gives_up(policy.MAX_ATTEMPTS - 1)
    assert policy.gives_up(policy.MAX_ATTEMPTS)


def test_kind_names_the_cause_not_the_person() -> None:
    assert policy.kind_of("survey:42") == "survey"
    assert policy.kind_of("signup_confirmed:7:123") == "signup_confirmed"
    assert policy.kind_of("plain") == "plain"
