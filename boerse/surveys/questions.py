"""The follow-up questionnaire: one overall rating, three statements on the seeds' ++/+/−/−− scale
and free text. Kept as data so the answer form, validation and both dashboards read one source."""

from __future__ import annotations

from dataclasses import dataclass

from boerse.lib.i18n import N_

COMMENT_MAX_LENGTH = 2000


@dataclass(frozen=True)
class ScalePoint:
    """One answer option; `symbol` is shown, `label` is what a screen reader announces."""

    value: int
    symbol: str
    label: str


@dataclass(frozen=True)
class Question:
    """`name` is both the form field and the SurveyResponse column."""

    name: str
    text: str
    scale: tuple[ScalePoint, ...]


RATING_SCALE: tuple[ScalePoint, ...] = (
    ScalePoint(1, "1", N_("sehr schlecht")),
    ScalePoint(2, "2", N_("schlecht")),
    ScalePoint(3, "3", N_("mittel")),
    ScalePoint(4, "4", N_("gut")),
    ScalePoint(5, "5", N_("sehr gut")),
)

# Stored as 4..1 so that "higher is better" holds for every question.
AGREEMENT_SCALE: tuple[ScalePoint, ...] = (
    ScalePoint(4, "++", N_("trifft voll zu")),
    ScalePoint(3, "+", N_("trifft eher zu")),
    ScalePoint(2, "−", N_("trifft eher nicht zu")),
    ScalePoint(1, "−−", N_("trifft gar nicht zu")),
)

OVERALL = Question("overall_rating", N_("Wie bewerten Sie das Angebot insgesamt?"), RATING_SCALE)

STATEMENTS: tuple[Question, ...] = (
    Question("statement_well_organised", N_("Das Angebot war gut organisiert."), AGREEMENT_SCALE),
    Question(
        "statement_made_difference", N_("Meine Mitwirkung hat etwas bewirkt."), AGREEMENT_SCALE
    ),
    Question(
        "statement_would_recommend",
        N_("Ich würde anderen empfehlen mitzumachen."),
        AGREEMENT_SCALE,
    ),
)

QUESTIONS: tuple[Question, ...] = (OVERALL, *STATEMENTS)
