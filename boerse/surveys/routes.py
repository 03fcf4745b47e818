"""The survey page behind each personal link: no login, one answer per link, a thank-you page."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from boerse.lib.forms import Form
from boerse.lib.routing import see_other
from boerse.surveys import services
from boerse.surveys.questions import COMMENT_MAX_LENGTH, OVERALL, STATEMENTS
from boerse.surveys.schemas import parse_answer
from boerse.surveys.services import LinkState, SurveyLink

# The token is in the address: keep it out of caches, referrers and search engines.
PRIVATE_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex",
}

LINK_PROBLEM_STATUS = {
    LinkState.UNKNOWN: 404,
    LinkState.EXPIRED: 410,
    LinkState.ANSWERED: 410,
}


def _form_page(token: str, link: SurveyLink, form: Form | None, status: int = 200) -> Template:
    return Template(
        template_name="surveys/answer.html",
        context={
            "token": token,
            "link": link,
            "form": form,
            "overall": OVERALL,
            "statements": STATEMENTS,
            "comment_max_length": COMMENT_MAX_LENGTH,
        },
        status_code=status,
        headers=PRIVATE_HEADERS,
    )


def _link_problem(state: LinkState) -> Template:
    """Unknown, expired or used links get a page that says which, and what to do instead."""
    return Template(
        template_name="surveys/link_problem.html",
        context={"state": state.value},
        status_code=LINK_PROBLEM_STATUS[state],
        headers=PRIVATE_HEADERS,
    )


class SurveyController(Controller):
    path = "/umfrage"

    @get("/danke", name="surveys:thanks")
    async def thanks(self) -> Template:
        return Template(template_name="surveys/thanks.html", headers=PRIVATE_HEADERS)

    @get("/{token:str}", name="surveys:answer")
    async def show(self, token: FromPath[str]) -> Template:
        link = await services.survey_link(token)
        if link.state is not LinkState.OPEN:
            return _link_problem(link.state)
        return _form_page(token, link, None)

    @post("/{token:str}", name="surveys:submit")
    async def submit(self, request: Request, token: FromPath[str]) -> Template | Redirect:
        link = await services.survey_link(token)
        if link.state is not LinkState.OPEN:
            return _link_problem(link.state)
        form = await Form.from_request(request)
        answer = parse_answer(form)
        if answer is None:
            return _form_page(token, link, form, status=400)
        if not await services.submit_answer(token, answer):
            # Another tab or a double click got there first: that answer counts, this one not.
            return _link_problem(LinkState.ANSWERED)
        return see_other(request, "surveys:thanks")


CONTROLLERS = [SurveyController]
