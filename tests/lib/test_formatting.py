"""Spans of time in running text, in German (with the dative "seit") and English."""

from __future__ import annotations

import datetime as dt

import pytest

from boerse.lib.formatting import duration, waiting_since
from boerse.lib.i18n import current_locale


@pytest.mark.parametrize(
    ("span", "german", "english"),
    [
        (dt.timedelta(seconds=59), "seit weniger als einer Minute", "for less than a minute"),
        (dt.timedelta(minutes=1, seconds=30), "seit 1 Minute", "for 1 minute"),
        (dt.timedelta(minutes=4, seconds=59), "seit 4 Minuten", "for 4 minutes"),
        (dt.timedelta(minutes=119), "seit 119 Minuten", "for 119 minutes"),
        (dt.timedelta(hours=2), "seit 2 Stunden", "for 2 hours"),
        (dt.timedelta(hours=47, minutes=59), "seit 47 Stunden", "for 47 hours"),
        (dt.timedelta(days=2, hours=23), "seit 2 Tagen", "for 2 days"),
        (dt.timedelta(days=1), "seit 24 Stunden", "for 24 hours"),
    ],
)
def test_waiting_since(span: dt.timedelta, german: str, english: str) -> None:
    assert waiting_since(span) == german
    token = current_locale.set("en")
    try:
        assert waiting_since(span) == english
    finally:
        current_locale.reset(token)


def test_duration_is_rounded_for_running_text() -> None:
    assert duration(dt.timedelta(hours=58)) == "2 Tage"
