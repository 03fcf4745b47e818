"""Progress towards the recognition thresholds the town's settings name (pure functions).

Recognition is decided by the issuing body, never by the Börse: these figures only tell a
resident how many confirmed hours are recorded here for a window, measured as the
thresholds are stated (hours a year, or hours a week on average over the window)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from boerse.lib.i18n import N_
from boerse.settings import Settings

WEEKLY = "weekly"
YEARLY = "yearly"


@dataclass(frozen=True)
class Window:
    """A stretch of days the thresholds are measured over; `label` is a msgid with `{year}`."""

    label: str
    start: dt.date
    end: dt.date
    year: int | None = None

    @property
    def weeks(self) -> float:
        """At least one week, so that early January does not show a huge weekly average."""
        return max((self.end - self.start).days + 1, 7) / 7

    def holds(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Measure:
    kind: str
    """WEEKLY (average hours a week over the window) or YEARLY (hours in the window)."""
    threshold: float
    value: float

    @property
    def percent(self) -> int:
        return min(100, int(self.value / self.threshold * 100)) if self.threshold else 0

    @property
    def reached(self) -> bool:
        return self.value >= self.threshold


@dataclass(frozen=True)
class Recognition:
    """One recognition (a card, a certificate) in one window: reached when any measure is."""

    name: str
    measures: tuple[Measure, ...]

    @property
    def reached(self) -> bool:
        return any(measure.reached for measure in self.measures)


@dataclass(frozen=True)
class WindowProgress:
    window: Window
    hours: float
    recognitions: tuple[Recognition, ...]


def windows(today: dt.date) -> tuple[Window, ...]:
    """The last twelve months up to today, this calendar year so far, and last year."""
    this_year = dt.date(today.year, 1, 1)
    return (
        Window(N_("Letzte 12 Monate"), today - dt.timedelta(days=364), today),
        Window(N_("Dieses Jahr ({year}, bis heute)"), this_year, today, today.year),
        Window(
            N_("Letztes Jahr ({year})"),
            dt.date(today.year - 1, 1, 1),
            dt.date(today.year - 1, 12, 31),
            today.year - 1,
        ),
    )


def recognitions(settings: Settings, hours: float, window: Window) -> tuple[Recognition, ...]:
    """The recognitions with at least one threshold set (0 leaves a measure out)."""
    card = []
    if settings.recognition_card_weekly_hours > 0:
        card.append(Measure(WEEKLY, settings.recognition_card_weekly_hours, hours / window.weeks))
    if settings.recognition_card_yearly_hours > 0:
        card.append(Measure(YEARLY, settings.recognition_card_yearly_hours, hours))
    found = []
    if card:
        found.append(Recognition(settings.recognition_card_name, tuple(card)))
    if settings.recognition_proof_yearly_hours > 0:
        found.append(
            Recognition(
                settings.recognition_proof_name,
                (Measure(YEARLY, settings.recognition_proof_yearly_hours, hours),),
            )
        )
    return tuple(found)


def progress(
    settings: Settings, today: dt.date, dated_hours: Iterable[tuple[dt.date, float]]
) -> tuple[WindowProgress, ...]:
    """Hours per window from (day, hours) pairs, with each recognition's measures."""
    pairs = list(dated_hours)
    result = []
    for window in windows(today):
        hours = round(sum(h for day, h in pairs if window.holds(day)), 2)
        result.append(WindowProgress(window, hours, recognitions(settings, hours, window)))
    return tuple(result)
