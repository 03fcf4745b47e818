"""Parsing the survey form: every missing or invalid answer becomes a message on its question."""

from __future__ import annotations

from dataclasses import dataclass

from boerse.lib.forms import Form
from boerse.lib.i18n import gettext as _
from boerse.surveys.questions import COMMENT_MAX_LENGTH, QUESTIONS


@dataclass(frozen=True)
class SurveyAnswer:
    """A complete, valid answer set, ready to be stored."""

    overall_rating: int
    statement_well_organised: int
    statement_made_difference: int
    statement_would_recommend: int
    comment: str


def parse_answer(form: Form) -> SurveyAnswer | None:
    """Validate all questions at once (so the page lists every problem); None when any failed."""
    values: dict[str, int] = {}
    for question in QUESTIONS:
        allowed = {str(point.value) for point in question.scale}
        raw = str(form.values.get(question.name) or "").strip()
        if raw in allowed:
            values[question.name] = int(raw)
        elif not raw:
            form.errors[question.name] = _("Bitte beantworten Sie: {question}").format(
                question=_(question.text)
            )
        else:
            form.errors[question.name] = _("Bitte wählen Sie eine der angebotenen Antworten.")
    comment = form.text("comment", max_length=COMMENT_MAX_LENGTH)
    if not form.ok:
        return None
    return SurveyAnswer(comment=comment, **values)
