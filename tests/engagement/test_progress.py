"""Progress towards recognition: thresholds come from the settings, windows from the date."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from boerse.engagement.progress import WEEKLY, YEARLY, progress, windows
from boerse.settings import Settings, get_settings

TODAY = dt.date(2026, 12, 1)


def test_windows_are_the_last_twelve_months_this_year_and_last_year() -> None:
    rolling, current, previous = windows(TODAY)
    assert (rolling.start, rolling.end) == (dt.date(2025, 12, 2), TODAY)
    assert (current.start, current.end, current.year) == (dt.date(2026, 1, 1), TODAY, 2026)
    assert (previous.start, previous.end, previous.year) == (
        dt.date(2025, 1, 1),
        dt.date(2025, 12, 31),
        2025,
    )


def test_bavarian_defaults_measure_weekly_average_and_yearly_hours() -> None:
    settings = get_settings()
    assert settings.recognition_card_weekly_hours == 5.0
    assert settings.recognition_card_yearly_hours == 250.0
    assert settings.recognition_proof_yearly_hours == 80.0
    hours = [(dt.date(2025, 1, 1) + dt.timedelta(days=7 * week), 3.0) for week in range(52)]
    rolling, _current, previous = progress(settings, TODAY, hours)
    assert previous.hours == 156.0
    card, proof = previous.recognitions
    assert card.name == "Bayerische Ehrenamtskarte"
    weekly, yearly = card.measures
    assert (weekly.kind, yearly.kind) == (WEEKLY, YEARLY)
    assert weekly.value == pytest.approx(156 / (365 / 7))
    assert not card.reached and yearly.percent == 62
    assert proof.name == "Ehrenamtsnachweis Bayern" and proof.reached
    assert proof.measures[0].percent == 100
    assert rolling.hours == 12.0  # 3, 10, 17 and 24 December 2025 are in the rolling year


def test_thresholds_follow_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECOGNITION_CARD_NAME", "Sächsische Ehrenamtskarte")
    monkeypatch.setenv("RECOGNITION_CARD_WEEKLY_HOURS", "0")
    monkeypatch.setenv("RECOGNITION_CARD_YEARLY_HOURS", "100")
    monkeypatch.setenv("RECOGNITION_PROOF_YEARLY_HOURS", "0")
    settings = Settings.from_env()
    (_rolling, current, _previous) = progress(settings, TODAY, [(dt.date(2026, 3, 1), 100.0)])
    (card,) = current.recognitions
    assert card.name == "Sächsische Ehrenamtskarte"
    assert [(m.kind, m.threshold) for m in card.measures] == [(YEARLY, 100.0)]
    assert card.reached


def test_no_thresholds_means_no_recognitions_shown() -> None:
    settings = dataclasses.replace(
        get_settings(),
        recognition_card_weekly_hours=0,
        recognition_card_yearly_hours=0,
        recognition_proof_yearly_hours=0,
    )
    assert all(w.recognitions == () for w in progress(settings, TODAY, []))


def test_early_january_averages_over_at_least_a_week() -> None:
    (_rolling, current, _previous) = progress(
        get_settings(), dt.date(2026, 1, 2), [(dt.date(2026, 1, 1), 6.0)]
    )
    weekly = current.recognitions[0].measures[0]
    assert weekly.value == pytest.approx(6.0) and weekly.reached
