"""Parsing the survey form, without a database."""

from __future__ import annotations

from boerse.lib.forms import Form
from boerse.surveys.schemas import SurveyAnswer, parse_answer
from tests.surveys.helpers import answer_form


def test_complete_answer_is_parsed_to_numbers_and_trimmed_text() -> None:
    form = Form(values=answer_form(comment="  Danke!  "))

    assert parse_answer(form) == SurveyAnswer(5, 4, 3, 4, "Danke!")
    assert form.ok


def test_comment_is_optional() -> None:
    answer = parse_answer(Form(values=answer_form(comment="")))

    assert answer is not None and answer.comment == ""


def test_every_problem_is_reported_at_once() -> None:
    form = Form(values={"statement_well_organised": "5", "comment": "ok"})

    assert parse_answer(form) is None
    assert set(form.errors) == {
        "overall_rating",
        "statement_well_organised",
        "statement_made_difference",
        "statement_would_recommend",
    }
