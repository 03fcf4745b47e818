"""The answer form of one page, shared by every way of answering (survey link, public
assessment link, account): the caller decides where the form posts and what the heading
says; the page, its questions and their numbering come from the plan."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from litestar.response import Template

from boerse.lib.forms import Form
from boerse.questionnaires.model import Page, QuestionRow, VersionPlan


@dataclass(frozen=True)
class NumberedQuestion:
    """A question with its number across the whole questionnaire ("Frage 3 von 8") and
    whether a section heading goes above it."""

    question: QuestionRow
    number: int
    starts_section: bool


def numbered_questions(plan: VersionPlan, page: Page) -> list[NumberedQuestion]:
    before = sum(len(p.questions) for p in plan.pages if p.number < page.number)
    numbered: list[NumberedQuestion] = []
    previous_section = ""
    for offset, question in enumerate(page.questions):
        starts = bool(question.section) and question.section != previous_section
        numbered.append(NumberedQuestion(question, before + offset + 1, starts))
        previous_section = question.section
    return numbered


def answer_page(
    plan: VersionPlan,
    page_number: int,
    form: Form | None,
    *,
    action: str,
    title: str,
    subtitle: str = "",
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> Template:
    """One page of the answer form; `action` is the URL it posts to (with a hidden `page`)."""
    page = plan.pages[page_number - 1]
    return Template(
        template_name="questionnaires/answer.html",
        context={
            "plan": plan,
            "page": page,
            "page_count": len(plan.pages),
            "questions": numbered_questions(plan, page),
            "total": plan.question_count,
            "form": form,
            "action": action,
            "title": title,
            "subtitle": subtitle,
            "is_last": page_number == len(plan.pages),
            "stop_number": plan.stops.index(page.stop) + 1 if page.stop in plan.stops else 0,
        },
        status_code=status_code,
        headers=dict(headers or {}),
    )
