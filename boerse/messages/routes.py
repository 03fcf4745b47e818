"""Messages on the web: an officer writes to the participants of an opportunity's dates and
reads the copies of what was sent; a recipient switches such messages off with the link in
the mail, without logging in (a page, then a POST), or with the mail program's one-click
unsubscribe (`boerse.lib.unsubscribe`)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from boerse.accounts.guards import requires_officer
from boerse.lib.flash import flash, register
from boerse.lib.formatting import session_range
from boerse.lib.forms import Form
from boerse.lib.i18n import N_
from boerse.lib.i18n import gettext as _
from boerse.lib.routing import see_other
from boerse.lib.unsubscribe import is_one_click
from boerse.messages import rules, schemas, services
from boerse.messages.services import AUDIENCE_LABELS, NoRecipientsError, OptOut
from boerse.messages.tables import Audience
from boerse.opportunities.services import sessions_of

SENT = register("message_sent", N_("Ihre Nachricht ist unterwegs."))


def _date_options(dates: list[dict[str, Any]]) -> list[tuple[str, str]]:
    options = []
    for row in dates:
        label = session_range(row["starts_at"], row["ends_at"])
        if row["is_past"]:
            label = _("{date} (vorbei)").format(date=label)
        options.append((str(row["id"]), label))
    return options


def _audience_options() -> list[tuple[str, str]]:
    return [(key, _(label)) for key, label in AUDIENCE_LABELS.items()]


def _compose_page(
    opportunity: dict[str, Any], dates: list[dict[str, Any]], form: Form, status_code: int = 200
) -> Template:
    return Template(
        template_name="messages/compose.html",
        context={
            "opportunity": opportunity,
            "form": form,
            "date_options": _date_options(dates),
            "audience_options": _audience_options(),
            "subject_limit": schemas.SUBJECT_LIMIT,
            "body_limit": schemas.BODY_LIMIT,
        },
        status_code=status_code,
    )


def _no_recipients(form: Form, error: NoRecipientsError) -> None:
    if error.skipped:
        form.errors["audience"] = _(
            "Diese Nachricht erreicht niemanden: Alle Personen dieser Auswahl haben "
            "Nachrichten abbestellt."
        )
    else:
        form.errors["audience"] = _(
            "Diese Nachricht erreicht niemanden: Für diese Auswahl ist niemand angemeldet."
        )


class OfficerController(Controller):
    path = "/verwaltung/nachrichten"
    guards = [requires_officer]  # noqa: RUF012 - Litestar reads this class attribute

    @get("/angebot/{opportunity_id:int}", name="messages:list")
    async def sent_list(self, request: Request, opportunity_id: FromPath[int]) -> Template:
        opportunity = await rules.access_message_compose(request.user, opportunity_id)
        return Template(
            template_name="messages/list.html",
            context={
                "opportunity": opportunity,
                "messages": await services.sent_messages(opportunity_id),
            },
        )

    @get("/angebot/{opportunity_id:int}/neu", name="messages:new")
    async def new(
        self, request: Request, opportunity_id: FromPath[int], termin: FromQuery[int | None] = None
    ) -> Template:
        opportunity = await rules.access_message_compose(request.user, opportunity_id)
        dates = await sessions_of(opportunity_id)
        chosen = termin if any(row["id"] == termin for row in dates) else None
        form = Form(
            values={
                "audience": Audience.SESSION.value if chosen else Audience.UPCOMING.value,
                "session": str(chosen or ""),
                "key": schemas.new_send_key(),
            }
        )
        return _compose_page(opportunity, dates, form)

    @post("/angebot/{opportunity_id:int}/neu", name="messages:send")
    async def send(self, request: Request, opportunity_id: FromPath[int]) -> Template | Redirect:
        opportunity = await rules.access_message_compose(request.user, opportunity_id)
        dates = await sessions_of(opportunity_id)
        form = await Form.from_request(request)
        draft = schemas.parse_message(form, dates)
        if draft is None:
            return _compose_page(opportunity, dates, form, status_code=400)
        date = next((row for row in dates if row["id"] == draft.session_id), None)
        try:
            message_id = await services.send_message(opportunity, date, request.user.id, draft)
        except NoRecipientsError as error:
            _no_recipients(form, error)
            return _compose_page(opportunity, dates, form, status_code=400)
        return flash(see_other(request, "messages:detail", message_id=message_id), SENT)

    @get("/{message_id:int}", name="messages:detail")
    async def detail(self, request: Request, message_id: FromPath[int]) -> Template:
        message = await rules.access_message(request.user, message_id)
        return Template(
            template_name="messages/detail.html",
            context={"message": message, "paragraphs": services.paragraphs(message.body)},
        )


def _opt_out_template(user_id: int, token: str, kind: OptOut, *, done: bool) -> Template:
    context = {"user_id": user_id, "token": token, "done": done, "kind": kind.value}
    return Template(template_name="messages/opt_out.html", context=context)


async def _opt_out_page(user_id: int, token: str, kind: OptOut) -> Template:
    """Opening the link only shows the page (mail programs open links to check them)."""
    if not services.valid_opt_out(user_id, token, kind):
        raise NotFoundException()
    receiving = await services.receiving(user_id, kind)
    if receiving is None:
        raise NotFoundException()
    return _opt_out_template(user_id, token, kind, done=not receiving)


async def _opt_out(
    request: Request, user_id: int, token: str, kind: OptOut, page: str
) -> Redirect | Template:
    """The page's button, and the mail program's one-click POST (`List-Unsubscribe`): the
    key in the URL is the authentication, so these routes have no CSRF check."""
    if not services.valid_opt_out(user_id, token, kind):
        raise NotFoundException()
    await services.opt_out(user_id, kind)
    if await is_one_click(request):
        return _opt_out_template(user_id, token, kind, done=True)
    path = request.app.route_reverse(page, user_id=user_id)
    return Redirect(f"{path}?{urlencode({'token': token})}", status_code=303)


class OptOutController(Controller):
    """Switching messages to participants, or an officer's daily summary, off by the link
    in the mail (or the mail program's one-click unsubscribe)."""

    path = "/nachrichten/abbestellen"

    @get("/{user_id:int}", name="messages:opt_out")
    async def page(self, user_id: FromPath[int], token: FromQuery[str] = "") -> Template:
        return await _opt_out_page(user_id, token, OptOut.MESSAGES)

    @post("/{user_id:int}", name="messages:opt_out_confirm", exclude_from_csrf=True)
    async def confirm(
        self, request: Request, user_id: FromPath[int], token: FromQuery[str] = ""
    ) -> Redirect | Template:
        return await _opt_out(request, user_id, token, OptOut.MESSAGES, "messages:opt_out")

    @get("/uebersicht/{user_id:int}", name="messages:summary_opt_out")
    async def summary_page(self, user_id: FromPath[int], token: FromQuery[str] = "") -> Template:
        return await _opt_out_page(user_id, token, OptOut.SUMMARY)

    @post(
        "/uebersicht/{user_id:int}",
        name="messages:summary_opt_out_confirm",
        exclude_from_csrf=True,
    )
    async def summary_confirm(
        self, request: Request, user_id: FromPath[int], token: FromQuery[str] = ""
    ) -> Redirect | Template:
        page = "messages:summary_opt_out"
        return await _opt_out(request, user_id, token, OptOut.SUMMARY, page)


CONTROLLERS = [OfficerController, OptOutController]
