"""The question types an officer can ask, with their fixed answer options.

Pure data: the builder offers these kinds, the answer form renders and validates them and
the results pages count them, all from this one place. Scale values are stored so that
"higher is better" holds for every scale question."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from boerse.lib.i18n import N_

SHORT_TEXT_MAX_LENGTH = 200
LONG_TEXT_MAX_LENGTH = 2000
DONT_KNOW = "dont_know"
"""The `choice` of a "weiß nicht" answer: counted as an answer, left out of averages."""


class QuestionKind(StrEnum):
    AGREEMENT = "agreement"
    """The seeds' four-point scale ++ / + / − / −−, optionally with "weiß nicht"."""
    RATING = "rating"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    CHECKLIST = "checklist"
    """A criterion answered yes / no / not applicable (walk audits)."""
    NUMBER = "number"
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    PLACE = "place"
    """A stop from the list or a place described in words (an address or a landmark)."""


@dataclass(frozen=True)
class Option:
    """An answer option: `key` is stored, `symbol` shown beside the label (hidden from
    screen readers where it is only a sign), `label` is what the option means."""

    key: str
    label: str
    symbol: str = ""
    value: int | None = None
    """The score of a scale option (averages, agreement share); None for plain choices."""


AGREEMENT_OPTIONS: tuple[Option, ...] = (
    Option("4", N_("trifft voll zu"), "++", 4),
    Option("3", N_("trifft eher zu"), "+", 3),
    Option("2", N_("trifft eher nicht zu"), "−", 2),
    Option("1", N_("trifft gar nicht zu"), "−−", 1),
)
DONT_KNOW_OPTION = Option(DONT_KNOW, N_("weiß nicht"))
AGREE_FROM = 3
"""On the agreement scale 4 is "++" and 3 is "+": the share of these is the agreement."""

RATING_OPTIONS: tuple[Option, ...] = (
    Option("1", N_("sehr schlecht"), "1", 1),
    Option("2", N_("schlecht"), "2", 2),
    Option("3", N_("mittel"), "3", 3),
    Option("4", N_("gut"), "4", 4),
    Option("5", N_("sehr gut"), "5", 5),
)

CHECKLIST_YES = "yes"
CHECKLIST_NO = "no"
CHECKLIST_NOT_APPLICABLE = "na"
CHECKLIST_OPTIONS: tuple[Option, ...] = (
    Option(CHECKLIST_YES, N_("ja")),
    Option(CHECKLIST_NO, N_("nein")),
    Option(CHECKLIST_NOT_APPLICABLE, N_("trifft hier nicht zu")),
)

KIND_LABELS: dict[str, str] = {
    QuestionKind.AGREEMENT: N_("Zustimmung (++ / + / − / −−)"),
    QuestionKind.RATING: N_("Bewertung von 1 bis 5"),
    QuestionKind.SINGLE_CHOICE: N_("Eine Antwort auswählen"),
    QuestionKind.MULTIPLE_CHOICE: N_("Mehrere Antworten auswählen"),
    QuestionKind.CHECKLIST: N_("Prüfpunkt: ja / nein / trifft nicht zu"),
    QuestionKind.NUMBER: N_("Zahl"),
    QuestionKind.SHORT_TEXT: N_("Kurzer Text"),
    QuestionKind.LONG_TEXT: N_("Langer Text"),
    QuestionKind.PLACE: N_("Ort"),
}

CHOICE_KINDS = frozenset({QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE})
"""Kinds whose options the officer writes (the others have fixed options or none)."""
TEXT_KINDS = frozenset({QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT})
"""Free text: shown to officers only, never published, never tallied."""


def fixed_options(kind: str, allow_dont_know: bool = False) -> tuple[Option, ...]:
    """The options of a scale or checklist kind; empty for the others."""
    if kind == QuestionKind.AGREEMENT:
        return AGREEMENT_OPTIONS + ((DONT_KNOW_OPTION,) if allow_dont_know else ())
    if kind == QuestionKind.RATING:
        return RATING_OPTIONS + ((DONT_KNOW_OPTION,) if allow_dont_know else ())
    if kind == QuestionKind.CHECKLIST:
        return CHECKLIST_OPTIONS
    return ()


def max_text_length(kind: str) -> int:
    return SHORT_TEXT_MAX_LENGTH if kind == QuestionKind.SHORT_TEXT else LONG_TEXT_MAX_LENGTH
