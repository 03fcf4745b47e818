"""Answering an assessment page by page through the questionnaires' answering engine.

A respondent is a key (the link's token, or the account's key for this assessment) plus
what completing means for it (the link is used up, the account marked as having answered);
both go into the engine's completing transaction, so a second tab or a double click stores
one response. The page to show next follows from the response in progress, so the same
link or account resumes where it stopped."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum

from litestar import Request
from litestar.response import Redirect, Template

from boerse.assessments import services
from boerse.assessments.services import AssessmentRow
from boerse.lib.forms import Form
from boerse.lib.routing import see_other
from boerse.questionnaires.answering import (
    SaveOutcome,
    account_key,
    parse_page,
    response_progress,
    save_page,
)
from boerse.questionnaires.model import VersionPlan, latest_version_id, load_plan
from boerse.questionnaires.views import answer_page

# The token is in the address: keep it out of caches, referrers and search engines.
PRIVATE_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex",
}


class Problem(StrEnum):
    UNKNOWN_ASSESSMENT = "unknown_assessment"
    NOT_YET_OPEN = "not_yet_open"
    CLOSED = "closed"
    NOT_READY = "not_ready"
    UNKNOWN_LINK = "unknown_link"
    LINK_ANSWERED = "link_answered"
    NEEDS_LINK = "needs_link"
    UNVERIFIED = "unverified"
    ACCOUNT_ANSWERED = "account_answered"


PROBLEM_STATUS = {
    Problem.UNKNOWN_ASSESSMENT: 404,
    Problem.NOT_YET_OPEN: 409,
    Problem.CLOSED: 410,
    Problem.NOT_READY: 409,
    Problem.UNKNOWN_LINK: 404,
    Problem.LINK_ANSWERED: 410,
    Problem.NEEDS_LINK: 403,
    Problem.UNVERIFIED: 403,
    Problem.ACCOUNT_ANSWERED: 409,
}


def problem_page(problem: Problem, row: AssessmentRow | None = None) -> Template:
    """One page per dead end, saying which and what to do instead."""
    return Template(
        template_name="assessments/problem.html",
        context={"problem": problem.value, "row": row},
        status_code=PROBLEM_STATUS[problem],
        headers=PRIVATE_HEADERS,
    )


@dataclass(frozen=True)
class Respondent:
    row: AssessmentRow
    key: str
    action: str
    """Where the answer form posts (the same address the respondent came to)."""
    on_complete: Callable[[], Awaitable[bool]]
    vetoed: Problem

    @classmethod
    def for_account(cls, request: Request, row: AssessmentRow, user_id: int) -> Respondent:
        async def mark() -> bool:
            return await services.mark_participant(row.id, user_id)

        return cls(
            row=row,
            key=account_key(user_id, f"assessment:{row.id}"),
            action=request.app.route_reverse("assessments:answer_save", slug=row.slug),
            on_complete=mark,
            vetoed=Problem.ACCOUNT_ANSWERED,
        )

    @classmethod
    def for_link(cls, request: Request, row: AssessmentRow, token: str) -> Respondent:
        async def use() -> bool:
            return await services.use_link(row.id, token)

        return cls(
            row=row,
            key=token,
            action=request.app.route_reverse(
                "assessments:answer_link_save", slug=row.slug, token=token
            ),
            on_complete=use,
            vetoed=Problem.LINK_ANSWERED,
        )


async def next_page(respondent: Respondent) -> tuple[VersionPlan, int] | None:
    """The version and page to answer next: a response in progress continues in the
    version it started with; a new one takes the latest. None when there is nothing to ask."""
    progress = await response_progress(respondent.key)
    if progress is not None:
        plan = await load_plan(progress.version_id)
        page_number = progress.progress + 1
    else:
        version_id = await latest_version_id(respondent.row.questionnaire_id)
        plan = await load_plan(version_id) if version_id is not None else None
        page_number = 1
    if plan is None or not plan.pages or page_number > len(plan.pages):
        return None
    return plan, page_number


def _form_page(
    respondent: Respondent, plan: VersionPlan, page_number: int, form: Form, status: int = 200
) -> Template:
    return answer_page(
        plan,
        page_number,
        form,
        action=respondent.action,
        title=respondent.row.title,
        subtitle=respondent.row.organisation_name,
        status_code=status,
        headers=PRIVATE_HEADERS,
    )


async def show(respondent: Respondent) -> Template:
    position = await next_page(respondent)
    if position is None:
        return problem_page(Problem.NOT_READY, respondent.row)
    plan, page_number = position
    return _form_page(respondent, plan, page_number, Form())


def _posted_page(form: Form) -> int | None:
    try:
        return int(str(form.values.get("page") or ""))
    except ValueError:
        return None


async def answer(request: Request, respondent: Respondent) -> Template | Redirect:
    """Validate and store the posted page. A page that is not the next one (the back
    button, a second tab) stores nothing and shows the page that is next."""
    position = await next_page(respondent)
    if position is None:
        return problem_page(Problem.NOT_READY, respondent.row)
    plan, page_number = position
    form = await Form.from_request(request)
    if _posted_page(form) != page_number:
        return Redirect(respondent.action, status_code=303)
    answers = parse_page(plan, plan.pages[page_number - 1], form)
    if answers is None:
        return _form_page(respondent, plan, page_number, form, status=400)
    outcome = await save_page(
        key=respondent.key,
        plan=plan,
        page_number=page_number,
        answers=answers,
        opportunity_id=None,
        on_complete=respondent.on_complete,
    )
    if outcome is SaveOutcome.COMPLETED:
        return see_other(request, "assessments:thanks", slug=respondent.row.slug)
    if outcome is SaveOutcome.VETOED:
        return problem_page(respondent.vetoed, respondent.row)
    return Redirect(respondent.action, status_code=303)
