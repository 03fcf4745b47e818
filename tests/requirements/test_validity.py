"""The date rules on their own: five years from issue, three months after the last engagement."""

from __future__ import annotations

import datetime as dt

from boerse.requirements import validity

D = dt.date


def test_a_certificate_counts_on_its_fifth_anniversary_and_not_a_day_later() -> None:
    issued = D(2021, 3, 15)
    assert validity.certificate_last_day(issued) == D(2026, 3, 15)
    assert validity.certificate_counts(issued, False, D(2026, 3, 15))
    assert not validity.certificate_counts(issued, False, D(2026, 3, 16))
    assert not validity.certificate_counts(issued, False, D(2021, 3, 14))  # not issued yet


def test_a_certificate_issued_on_a_leap_day_runs_out_on_the_last_day_of_february() -> None:
    assert validity.certificate_last_day(D(2024, 2, 29)) == D(2029, 2, 28)


def test_relevant_entries_or_an_unknown_result_never_count() -> None:
    assert not validity.certificate_counts(D(2025, 1, 1), True, D(2025, 6, 1))
    assert not validity.certificate_counts(D(2025, 1, 1), None, D(2025, 6, 1))


def test_a_qualification_counts_through_its_last_day_or_forever() -> None:
    assert validity.qualification_counts(D(2026, 5, 1), D(2026, 5, 1))
    assert not validity.qualification_counts(D(2026, 5, 1), D(2026, 5, 2))
    assert validity.qualification_counts(None, D(2099, 1, 1))


def test_renewal_is_due_six_weeks_before_the_certificate_runs_out() -> None:
    issued = D(2021, 6, 30)
    last = D(2026, 6, 30)
    assert not validity.renewal_due(issued, last - dt.timedelta(weeks=6, days=1))
    assert validity.renewal_due(issued, last - dt.timedelta(weeks=6))


def test_deletion_is_three_months_after_the_later_of_recording_and_last_engagement() -> None:
    assert validity.deletion_day(D(2026, 1, 10), None) == D(2026, 4, 10)
    assert validity.deletion_day(D(2026, 1, 10), D(2026, 5, 31)) == D(2026, 8, 31)
    assert validity.deletion_day(D(2026, 5, 31), D(2026, 1, 10)) == D(2026, 8, 31)
    assert validity.deletion_day(D(2025, 11, 30), None) == D(2026, 2, 28)
    assert validity.add_months(D(2026, 12, 15), 3) == D(2027, 3, 15)
    assert validity.add_months(D(2026, 3, 15), -12 * 5) == D(2021, 3, 15)
