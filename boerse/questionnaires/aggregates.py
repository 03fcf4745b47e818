"""Aggregates of a version's tallies, as pure functions: distributions in option order with
zeros, averages ("weiß nicht" left out), agreement and yes-shares, walk-audit traffic lights
per stop and criterion, and the relative positions of the stops on a map. No queries here:
`boerse.questionnaires.results` reads the tallies and hands them in."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from boerse.lib.i18n import N_
from boerse.questionnaires.kinds import (
    AGREE_FROM,
    CHECKLIST_NO,
    CHECKLIST_YES,
    DONT_KNOW,
    DONT_KNOW_OPTION,
    TEXT_KINDS,
    Option,
    QuestionKind,
)
from boerse.questionnaires.model import QuestionRow, StopRow, VersionPlan

SCALE_KINDS = frozenset({QuestionKind.AGREEMENT, QuestionKind.RATING})
Counted = dict[str, tuple[int, float]]
"""A question's tally at one stop: choice → (answers, sum of the numbers)."""


class Light(StrEnum):
    """A walk-audit traffic light; always shown with its text, never by colour alone."""

    MET = "met"
    PARTLY = "partly"
    NOT_MET = "not-met"
    NO_DATA = "no-data"

    @property
    def label(self) -> str:
        """The text that goes with the colour (a msgid, translated by the template)."""
        return LIGHT_LABELS[self]

    @property
    def symbol(self) -> str:
        """A shape besides the colour, for those who cannot tell red from green."""
        return LIGHT_SYMBOLS[self]


LIGHT_LABELS: dict[Light, str] = {
    Light.MET: N_("überwiegend erfüllt"),
    Light.PARTLY: N_("teilweise erfüllt"),
    Light.NOT_MET: N_("überwiegend nicht erfüllt"),
    Light.NO_DATA: N_("keine Angaben"),
}
LIGHT_SYMBOLS: dict[Light, str] = {
    Light.MET: "✓",
    Light.PARTLY: "~",
    Light.NOT_MET: "✗",
    Light.NO_DATA: "–",
}
MET_FROM = 75.0
PARTLY_FROM = 40.0


def light_of(yes_share: float | None) -> Light:
    """≥ 75 % yes: mostly met; 40–75 %: partly; below 40 %: mostly not; no answers: none."""
    if yes_share is None:
        return Light.NO_DATA
    if yes_share >= MET_FROM:
        return Light.MET
    if yes_share >= PARTLY_FROM:
        return Light.PARTLY
    return Light.NOT_MET


def yes_share(yes: int, no: int) -> float | None:
    """Share of "ja" among "ja" and "nein": "trifft hier nicht zu" does not count either way."""
    return 100 * yes / (yes + no) if yes + no else None


@dataclass(frozen=True)
class Bar:
    """One answer option of a question with how often it was chosen."""

    key: str
    symbol: str
    label: str
    count: int
    percent: float


@dataclass(frozen=True)
class QuestionResult:
    question: QuestionRow
    stop: StopRow | None
    answers: int
    bars: tuple[Bar, ...]
    average: float | None
    """Mean of the scale values or numbers, "weiß nicht" left out."""
    agreement: float | None
    """Percent answering ++ or + (agreement questions), "weiß nicht" left out."""
    yes_share: float | None
    """Percent "ja" among "ja" and "nein" (checklist items)."""

    @property
    def light(self) -> Light | None:
        if self.question.kind != QuestionKind.CHECKLIST:
            return None
        return light_of(self.yes_share)

    @property
    def scale_max(self) -> int | None:
        """The top of the scale an average is read against ("4,2 von 5")."""
        values = [o.value for o in self.question.options if o.value is not None]
        return max(values) if values else None

    @property
    def anchor(self) -> str:
        """An id for the chart's heading, unique per question and stop."""
        return f"frage-{self.question.id}" + (f"-{self.stop.id}" if self.stop else "")


@dataclass(frozen=True)
class StopResult:
    """One stop of a walk audit: its criteria (checklist items) and its other questions."""

    stop: StopRow
    number: int
    criteria: tuple[QuestionResult, ...]
    others: tuple[QuestionResult, ...]
    yes_share: float | None
    """Share of "ja" over all criteria answered at this stop."""
    point: tuple[float, float] | None = None
    """Position on the map in the SVG's coordinates, when the stop has coordinates."""

    @property
    def light(self) -> Light:
        return light_of(self.yes_share)


MAP_WIDTH = 400.0
MAP_HEIGHT = 300.0
MAP_MARGIN = 30.0


@dataclass(frozen=True)
class WalkResults:
    stops: tuple[StopResult, ...]

    @property
    def mapped(self) -> tuple[StopResult, ...]:
        return tuple(s for s in self.stops if s.point is not None)

    @property
    def route(self) -> str:
        """The SVG points of the walk's path through the mapped stops, in their order."""
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in (s.point for s in self.mapped if s.point))


def options_of(question: QuestionRow, plan: VersionPlan) -> tuple[Option, ...]:
    """The options a chart shows: a place question offers the version's stops if it has
    any (as the answer form does), else the officer's own list of places."""
    if question.kind == QuestionKind.PLACE and plan.stops:
        return tuple(Option(str(s.id), s.name) for s in plan.stops)
    return question.options


def question_result(
    question: QuestionRow,
    plan: VersionPlan,
    counted: Counted,
    stop: StopRow | None = None,
) -> QuestionResult:
    """Bars in option order with zeros (unknown stored choices after them), average,
    agreement and yes-share of one question (at one stop)."""
    options = options_of(question, plan)
    if question.allow_dont_know and DONT_KNOW not in {o.key for o in options}:
        options += (DONT_KNOW_OPTION,)
    known = {o.key for o in options}
    extra = tuple(Option(key, key) for key in sorted(counted) if key and key not in known)
    per_option = [(o, counted.get(o.key, (0, 0.0))[0]) for o in options + extra]
    # Shares of every answer: a number's "weiß nicht" or a place described only in words
    # has no option of its own, and still counts.
    answers = sum(n for n, _ in counted.values())
    bars = tuple(
        Bar(o.key, o.symbol, o.label, count, 100 * count / answers if answers else 0.0)
        for o, count in per_option
    )
    return QuestionResult(
        question,
        stop,
        answers,
        bars if options or extra else (),
        average=_average(question, per_option, counted),
        agreement=_agreement(question, per_option),
        yes_share=(
            yes_share(counted.get(CHECKLIST_YES, (0, 0))[0], counted.get(CHECKLIST_NO, (0, 0))[0])
            if question.kind == QuestionKind.CHECKLIST
            else None
        ),
    )


def _average(
    question: QuestionRow, per_option: list[tuple[Option, int]], counted: Counted
) -> float | None:
    if question.kind in SCALE_KINDS:
        scored = [(o.value, n) for o, n in per_option if o.value is not None]
        weight = sum(n for _, n in scored)
        return sum(v * n for v, n in scored) / weight if weight else None
    if question.kind == QuestionKind.NUMBER:
        answers, total = counted.get("", (0, 0.0))
        return total / answers if answers else None
    return None


def _agreement(question: QuestionRow, per_option: list[tuple[Option, int]]) -> float | None:
    if question.kind != QuestionKind.AGREEMENT:
        return None
    scored = [(o.value, n) for o, n in per_option if o.value is not None]
    weight = sum(n for _, n in scored)
    return 100 * sum(n for v, n in scored if v >= AGREE_FROM) / weight if weight else None


def map_points(stops: tuple[StopRow, ...]) -> dict[int, tuple[float, float]]:
    """Stops placed relative to each other in a MAP_WIDTH × MAP_HEIGHT box (equirectangular,
    longitudes shrunk by the latitude's cosine, north up, aspect kept, centred); no tiles."""
    located = [s for s in stops if s.latitude is not None and s.longitude is not None]
    if not located:
        return {}
    shrink = math.cos(math.radians(sum(s.latitude or 0.0 for s in located) / len(located)))
    xs = {s.id: (s.longitude or 0.0) * shrink for s in located}
    ys = {s.id: s.latitude or 0.0 for s in located}
    west, east, south, north = (
        min(xs.values()),
        max(xs.values()),
        min(ys.values()),
        max(ys.values()),
    )
    span = max(east - west, north - south) or 1.0
    scale = (min(MAP_WIDTH, MAP_HEIGHT) - 2 * MAP_MARGIN) / span
    left = (MAP_WIDTH - (east - west) * scale) / 2
    top = (MAP_HEIGHT - (north - south) * scale) / 2
    return {
        s.id: (left + (xs[s.id] - west) * scale, top + (north - ys[s.id]) * scale) for s in located
    }


def _count(result: QuestionResult, key: str) -> int:
    return next((bar.count for bar in result.bars if bar.key == key), 0)


def walk_results(plan: VersionPlan, counted: dict[tuple[int, int], Counted]) -> WalkResults:
    """Every stop in order with its per-stop questions: checklist items as criteria with
    their lights, the stop's light from the "ja" share over all its criteria."""
    at_stop = [q for q in plan.questions if q.per_stop and q.kind not in TEXT_KINDS]
    points = map_points(plan.stops)
    stops = []
    for number, stop in enumerate(plan.stops, start=1):
        results = [
            question_result(q, plan, counted.get((q.id, stop.id), {}), stop) for q in at_stop
        ]
        criteria = tuple(r for r in results if r.question.kind == QuestionKind.CHECKLIST)
        yes = sum(_count(r, CHECKLIST_YES) for r in criteria)
        no = sum(_count(r, CHECKLIST_NO) for r in criteria)
        stops.append(
            StopResult(
                stop,
                number,
                criteria,
                tuple(r for r in results if r.question.kind != QuestionKind.CHECKLIST),
                yes_share(yes, no),
                points.get(stop.id),
            )
        )
    return WalkResults(tuple(stops))
