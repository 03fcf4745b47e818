"""The survey behind each personal link: no login, answered page by page (resumable from the
same link), used up on the last page; a thank-you page; a one-click stop for reminders."""

from __future__ import annotations

from litestar import Controller, HttpMethod, Request, get, post, route
from litestar.params import FromPath
from litestar.response import Redirect, Template

from boerse.lib.formatting import session_range
from boerse.lib.forms import Form
from boerse.lib.routing import see_other
from boerse.questionnaires.answering import SaveOutcome, parse_page
from boerse.questionnaires.views import answer_page
from boerse.surveys import services
from boerse.surveys.services import LinkForm, LinkState, SurveyLink

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
NOTHING_TO_ANSWER = "empty"


def _form_page(
    request: Request,
    token: str,
    link: SurveyLink,
    current: LinkForm,
    form: Form | None,
    status: int = 200,
) -> Template:
    subtitle = link.title
    if link.starts_at and link.ends_at:
        subtitle = f"{link.title} · {session_range(link.starts_at, link.ends_at)}"
    return answer_page(
        current.plan,
        current.next_page,
        form,
        action=request.app.route_reverse("surveys:submit", token=token),
        title=current.plan.title,
        subtitle=subtitle,
        status_code=status,
        headers=PRIVATE_HEADERS,
    )


def _link_problem(state: str, status: int | None = None) -> Template:
    """Unknown, expired or used links get a page that says which, and what to do instead."""
    return Template(
        template_name="surveys/link_problem.html",
        context={"state": state},
        status_code=status or LINK_PROBLEM_STATUS[LinkState(state)],
        headers=PRIVATE_HEADERS,
    )


def _page_number(form: Form) -> int | None:
    raw = str(form.values.get("page") or "").strip()
    return int(raw) if raw.isdigit() and len(raw) < 6 else None


class SurveyController(Controller):
    path = "/umfrage"

    @get("/danke", name="surveys:thanks")
    async def thanks(self) -> Template:
        return Template(template_name="surveys/thanks.html", headers=PRIVATE_HEADERS)

    @get("/{token:str}", name="surveys:answer")
    async def show(self, request: Request, token: FromPath[str]) -> Template:
        link = await services.survey_link(token)
        if link.state is not LinkState.OPEN:
            return _link_problem(link.state)
        current = await services.link_form(token, link)
        if current is None:
            return _link_problem(NOTHING_TO_ANSWER, 404)
        return _form_page(request, token, link, current, None)

    @post("/{token:str}", name="surveys:submit")
    async def submit(self, request: Request, token: FromPath[str]) -> Template | Redirect:
        link = await services.survey_link(token)
        if link.state is not LinkState.OPEN:
            return _link_problem(link.state)
        current = await services.link_form(token, link)
        if current is None:
            return _link_problem(NOTHING_TO_ANSWER, 404)
        form = await Form.from_request(request)
        if _page_number(form) != current.next_page:
            # A page saved before (back button, second tab) or not yet due: show where the
            # link stands instead of storing anything.
            return see_other(request, "surveys:answer", token=token)
        page = current.plan.pages[current.next_page - 1]
        answers = parse_page(current.plan, page, form)
        if answers is None:
            return _form_page(request, token, link, current, form, status=400)
        outcome = await services.save_link_page(
            token, link, current.plan, current.next_page, answers
        )
        if outcome is SaveOutcome.COMPLETED:
            return see_other(request, "surveys:thanks")
        if outcome is SaveOutcome.VETOED:
            # Another tab or a double click got there first: that answer counts, this one not.
            fresh = await services.survey_link(token)
            return _link_problem(fresh.state if fresh.state is not LinkState.OPEN else "answered")
        return see_other(request, "surveys:answer", token=token)

    @route(
        "/{token:str}/erinnerungen",
        http_method=[HttpMethod.GET, HttpMethod.POST],
        name="surveys:stop_reminders",
    )
    async def stop_reminders(self, request: Request, token: FromPath[str]) -> Template:
        """GET shows one button; POST stops. Works for answered and expired links too."""
        link = await services.survey_link(token)
        if link.state is LinkState.UNKNOWN:
            return _link_problem(LinkState.UNKNOWN)
        stopped = request.method == HttpMethod.POST
        if stopped:
            await services.stop_reminders(link)
        return Template(
            template_name="surveys/stop_reminders.html",
            context={"token": token, "link": link, "state": link.state.value, "stopped": stopped},
            headers=PRIVATE_HEADERS,
        )


CONTROLLERS = [SurveyController]
