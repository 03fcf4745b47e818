"""Replies on the web: officers write them from the results page (of an opportunity or a
walk audit) or from a goal's page, publish them and change their status; the public reads them under the results and on "Wir haben gehandelt"; a
participant stops the mails with one click (a page, then a POST)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from boerse.accounts.guards import requires_officer
from boerse.dashboards.rules import access_officer_results
from boerse.lib.flash import flash, register
from boerse.lib.forms import Form
from boerse.lib.i18n import N_
from boerse.lib.i18n import gettext as _
from boerse.lib.routing import see_other
from boerse.lib.unsubscribe import is_one_click
from boerse.questionnaires.rules import access_questionnaire
from boerse.replies import rules, schemas, services
from boerse.replies.services import STATUS_LABELS, ReplyRow
from boerse.replies.tables import ReplyStatus

SAVED = register("reply_saved", N_("Die Rückmeldung wurde gespeichert."))
PUBLISHED = register(
    "reply_published",
    N_("Die Rückmeldung ist veröffentlicht; die Teilnehmenden bekommen sie per E-Mail."),
)


def _status_options() -> list[tuple[str, str]]:
    return [(key, _(label)) for key, label in STATUS_LABELS.items()]


@dataclass(frozen=True)
class Target:
    """What a reply answers, as its form page needs it."""

    title: str
    results_url: str
    opportunity_id: int | None = None
    questionnaire_id: int | None = None
    goal_id: int | None = None

    @property
    def mails_participants(self) -> bool:
        """A standalone questionnaire's respondents are anonymous: nobody can be mailed."""
        return self.questionnaire_id is None

    @property
    def results_label(self) -> str:
        return _("Wirkungsziel") if self.goal_id is not None else _("Ergebnisse")


def _opportunity_target(request: Request, opportunity_id: int, title: str) -> Target:
    url = request.app.route_reverse("dashboards:officer_results", opportunity_id=opportunity_id)
    return Target(title, url, opportunity_id=opportunity_id)


def _questionnaire_target(request: Request, questionnaire_id: int, title: str) -> Target:
    url = request.app.route_reverse("questionnaires:results", questionnaire_id=questionnaire_id)
    return Target(title, url, questionnaire_id=questionnaire_id)


def _goal_target(request: Request, goal_id: int, title: str) -> Target:
    url = request.app.route_reverse("goals:detail", goal_id=goal_id)
    return Target(title, url, goal_id=goal_id)


def _row_target(request: Request, row: ReplyRow) -> Target:
    if row.opportunity_id is not None:
        return _opportunity_target(request, row.opportunity_id, row.target_title)
    if row.goal_id is not None:
        return _goal_target(request, row.goal_id, row.target_title)
    return _questionnaire_target(request, row.questionnaire_id or 0, row.target_title)


def _form_page(
    form: Form,
    target: Target,
    *,
    action: str,
    row: ReplyRow | None = None,
    status_code: int = 200,
) -> Template:
    context = {
        "form": form,
        "row": row,
        "target": target,
        "action": action,
        "status_options": _status_options(),
    }
    return Template(template_name="replies/form.html", context=context, status_code=status_code)


async def _create(request: Request, target: Target, action: str) -> Template | Redirect:
    form = await Form.from_request(request)
    data = schemas.parse_reply(form)
    if data is None:
        return _form_page(form, target, action=action, status_code=400)
    reply_id = await services.create_reply(
        data,
        request.user.id,
        opportunity_id=target.opportunity_id,
        questionnaire_id=target.questionnaire_id,
        goal_id=target.goal_id,
    )
    return flash(see_other(request, "replies:edit", reply_id=reply_id), SAVED)


def _new_form() -> Form:
    return Form(values={"status": ReplyStatus.PLANNED.value})


def _values(row: ReplyRow) -> dict[str, str]:
    return {
        "title": row.title,
        "learned": row.learned,
        "changes": row.changes,
        "status": row.status,
        "status_date": row.status_date.isoformat() if row.status_date else "",
    }


class OfficerController(Controller):
    path = "/verwaltung/rueckmeldungen"
    guards = [requires_officer]  # noqa: RUF012 - Litestar reads this class attribute

    @get("/angebot/{opportunity_id:int}/neu", name="replies:new")
    async def new(self, request: Request, opportunity_id: FromPath[int]) -> Template:
        header = await access_officer_results(request.user, opportunity_id)
        target = _opportunity_target(request, header.id, header.title)
        return _form_page(_new_form(), target, action=request.url.path)

    @post("/angebot/{opportunity_id:int}/neu", name="replies:create")
    async def create(self, request: Request, opportunity_id: FromPath[int]) -> Template | Redirect:
        header = await access_officer_results(request.user, opportunity_id)
        target = _opportunity_target(request, header.id, header.title)
        return await _create(request, target, request.url.path)

    @get("/fragebogen/{questionnaire_id:int}/neu", name="replies:new_for_questionnaire")
    async def new_for_questionnaire(
        self, request: Request, questionnaire_id: FromPath[int]
    ) -> Template | Redirect:
        header = await access_questionnaire(request.user, questionnaire_id, manage=True)
        if header.opportunity_id is not None:  # an opportunity's questionnaire: reply to it
            return see_other(request, "replies:new", opportunity_id=header.opportunity_id)
        if header.is_template:
            raise NotFoundException()
        target = _questionnaire_target(request, header.id, header.title)
        return _form_page(_new_form(), target, action=request.url.path)

    @post("/fragebogen/{questionnaire_id:int}/neu", name="replies:create_for_questionnaire")
    async def create_for_questionnaire(
        self, request: Request, questionnaire_id: FromPath[int]
    ) -> Template | Redirect:
        header = await access_questionnaire(request.user, questionnaire_id, manage=True)
        if header.opportunity_id is not None or header.is_template:
            raise NotFoundException()
        target = _questionnaire_target(request, header.id, header.title)
        return await _create(request, target, request.url.path)

    @get("/ziel/{goal_id:int}/neu", name="replies:new_for_goal")
    async def new_for_goal(self, request: Request, goal_id: FromPath[int]) -> Template:
        goal = await rules.access_goal_reply(request.user, goal_id)
        target = _goal_target(request, goal.id, goal.title)
        return _form_page(_new_form(), target, action=request.url.path)

    @post("/ziel/{goal_id:int}/neu", name="replies:create_for_goal")
    async def create_for_goal(
        self, request: Request, goal_id: FromPath[int]
    ) -> Template | Redirect:
        goal = await rules.access_goal_reply(request.user, goal_id)
        target = _goal_target(request, goal.id, goal.title)
        return await _create(request, target, request.url.path)

    @get("/{reply_id:int}", name="replies:edit")
    async def edit(self, request: Request, reply_id: FromPath[int]) -> Template:
        row = await rules.access_reply(request.user, reply_id, manage=True)
        action = request.app.route_reverse("replies:update", reply_id=row.id)
        target = _row_target(request, row)
        return _form_page(Form(values=_values(row)), target, action=action, row=row)

    @post("/{reply_id:int}", name="replies:update")
    async def update(self, request: Request, reply_id: FromPath[int]) -> Template | Redirect:
        row = await rules.access_reply(request.user, reply_id, manage=True)
        form = await Form.from_request(request)
        data = schemas.parse_reply(form)
        if data is None:
            target = _row_target(request, row)
            return _form_page(form, target, action=request.url.path, row=row, status_code=400)
        await services.update_reply(row, data)
        return flash(see_other(request, "replies:edit", reply_id=reply_id), SAVED)

    @post("/{reply_id:int}/veroeffentlichen", name="replies:publish")
    async def publish(self, request: Request, reply_id: FromPath[int]) -> Redirect:
        row = await rules.access_reply(request.user, reply_id, manage=True)
        await services.publish_reply(row)
        return flash(see_other(request, "replies:edit", reply_id=reply_id), PUBLISHED)


class PublicController(Controller):
    path = "/wir-haben-gehandelt"

    @get("/", name="replies:list")
    async def index(self) -> Template:
        rows = await services.published_replies()
        return Template(template_name="replies/list.html", context={"rows": rows})

    @get("/{reply_id:int}", name="replies:detail")
    async def detail(self, request: Request, reply_id: FromPath[int]) -> Template:
        row = await rules.access_reply(request.user, reply_id)
        return Template(
            template_name="replies/detail.html",
            context={
                "row": row,
                "history": await services.reply_history(row.id),
                "can_manage": await rules.can_manage(request.user, row),
            },
        )

    @get("/abbestellen/{user_id:int}", name="replies:opt_out")
    async def opt_out_page(self, user_id: FromPath[int], token: FromQuery[str] = "") -> Template:
        if not services.valid_opt_out(user_id, token):
            raise NotFoundException()
        done = await services.has_opted_out(user_id)
        return Template(
            template_name="replies/opt_out.html",
            context={"user_id": user_id, "token": token, "done": done},
        )

    @post("/abbestellen/{user_id:int}", name="replies:opt_out_confirm", exclude_from_csrf=True)
    async def opt_out(
        self, request: Request, user_id: FromPath[int], token: FromQuery[str] = ""
    ) -> Redirect | Template:
        """The page's button, and the mail program's one-click POST (`List-Unsubscribe`):
        the key in the URL is the authentication, so there is no CSRF check."""
        if not services.valid_opt_out(user_id, token):
            raise NotFoundException()
        await services.opt_out(user_id)
        if await is_one_click(request):
            context = {"user_id": user_id, "token": token, "done": True}
            return Template(template_name="replies/opt_out.html", context=context)
        path = request.app.route_reverse("replies:opt_out", user_id=user_id)
        return Redirect(f"{path}?{urlencode({'token': token})}", status_code=303)


CONTROLLERS = [OfficerController, PublicController]
