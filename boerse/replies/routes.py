"""Replies on the web: officers write them from the results page, publish them and change
their status; the public reads them under the results and on "Wir haben gehandelt"; a
participant stops the mails with one click (a page, then a POST)."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from boerse.accounts.guards import requires_officer
from boerse.dashboards.rules import access_officer_results
from boerse.dashboards.services import OpportunityHeader
from boerse.lib.flash import flash, register
from boerse.lib.forms import Form
from boerse.lib.i18n import N_
from boerse.lib.i18n import gettext as _
from boerse.lib.routing import see_other
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


def _form_page(
    form: Form,
    header_title: str,
    *,
    opportunity_id: int,
    row: ReplyRow | None = None,
    status_code: int = 200,
) -> Template:
    context = {
        "form": form,
        "row": row,
        "target_title": header_title,
        "opportunity_id": opportunity_id,
        "status_options": _status_options(),
    }
    return Template(template_name="replies/form.html", context=context, status_code=status_code)


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
        form = Form(values={"status": ReplyStatus.PLANNED.value})
        return _form_page(form, header.title, opportunity_id=header.id)

    @post("/angebot/{opportunity_id:int}/neu", name="replies:create")
    async def create(self, request: Request, opportunity_id: FromPath[int]) -> Template | Redirect:
        header: OpportunityHeader = await access_officer_results(request.user, opportunity_id)
        form = await Form.from_request(request)
        data = schemas.parse_reply(form)
        if data is None:
            return _form_page(form, header.title, opportunity_id=header.id, status_code=400)
        reply_id = await services.create_reply(header, data, request.user.id)
        return flash(see_other(request, "replies:edit", reply_id=reply_id), SAVED)

    @get("/{reply_id:int}", name="replies:edit")
    async def edit(self, request: Request, reply_id: FromPath[int]) -> Template:
        row = await rules.access_reply(request.user, reply_id, manage=True)
        return _form_page(
            Form(values=_values(row)),
            row.target_title,
            opportunity_id=row.opportunity_id,
            row=row,
        )

    @post("/{reply_id:int}", name="replies:update")
    async def update(self, request: Request, reply_id: FromPath[int]) -> Template | Redirect:
        row = await rules.access_reply(request.user, reply_id, manage=True)
        form = await Form.from_request(request)
        data = schemas.parse_reply(form)
        if data is None:
            return _form_page(
                form,
                row.target_title,
                opportunity_id=row.opportunity_id,
                row=row,
                status_code=400,
            )
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
            context={"row": row, "can_manage": rules.can_manage(request.user, row)},
        )

    @get("/abbestellen/{user_id:int}/{token:str}", name="replies:opt_out")
    async def opt_out_page(self, user_id: FromPath[int], token: FromPath[str]) -> Template:
        if not services.valid_opt_out(user_id, token):
            raise NotFoundException()
        done = await services.has_opted_out(user_id)
        return Template(
            template_name="replies/opt_out.html",
            context={"user_id": user_id, "token": token, "done": done},
        )

    @post("/abbestellen/{user_id:int}/{token:str}", name="replies:opt_out_confirm")
    async def opt_out(
        self, request: Request, user_id: FromPath[int], token: FromPath[str]
    ) -> Redirect:
        if not services.valid_opt_out(user_id, token):
            raise NotFoundException()
        await services.opt_out(user_id)
        return see_other(request, "replies:opt_out", user_id=user_id, token=token)


CONTROLLERS = [OfficerController, PublicController]
