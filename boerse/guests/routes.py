"""Signing up without an account (guests) and the personal page of a sign-up.

The personal page is reached by the link in every mail about a sign-up; whoever holds it
sees that one sign-up, can cancel it, download the date and check in, and a guest can turn
the account into a full one there. The token is in the address, so these pages are kept
out of caches, referrers and search engines."""

from __future__ import annotations

from typing import Any

from litestar import Controller, HttpMethod, Request, Response, get, post, route
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from boerse.accounts.routes import client_ip
from boerse.accounts.sessions import set_session_cookie
from boerse.accounts.tables import Role
from boerse.guests import rules, schemas, services
from boerse.guests.services import GuestLinkInvalidError
from boerse.lib.db import utcnow
from boerse.lib.flash import NOTICES, flash, register
from boerse.lib.forms import Form
from boerse.lib.i18n import N_
from boerse.lib.routing import see_other
from boerse.opportunities import signups
from boerse.opportunities.calendar import date_ics, place_text
from boerse.opportunities.signup_links import remember_token
from boerse.opportunities.signup_routes import LABELS
from boerse.opportunities.signups import SessionNotFoundError, SignUpRefusedError
from boerse.opportunities.tables import SignUpStatus

PRIVATE_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex",
}

register(
    "guest_signup_registered",
    N_("Danke, Ihre Anmeldung ist bestätigt. Die Bestätigung mit dem Termin kommt per E-Mail."),
)
register(
    "guest_signup_waitlisted",
    N_(
        "Danke, Ihre Anmeldung ist bestätigt. Alle Plätze sind belegt: Sie stehen auf der "
        "Warteliste und bekommen eine E-Mail, sobald Sie nachrücken."
    ),
    "info",
)
register("guest_signup_already", N_("Sie sind für diesen Termin schon angemeldet."), "info")
register("guest_cancelled", N_("Ihre Anmeldung ist abgesagt."))
register(
    "guest_upgraded",
    N_(
        "Ihr Konto ist angelegt, und Sie sind angemeldet. Erzählen Sie uns jetzt etwas über "
        "sich, dann schlagen wir Ihnen passende Angebote vor."
    ),
)


def _date_url(request: Request, row: dict[str, Any]) -> str:
    detail = request.app.route_reverse("opportunities:detail", opportunity_id=row["opportunity_id"])
    return f"{detail}#termin-{row['session_id']}"


def _page(name: str, status: int = 200, **context: Any) -> Template:
    return Template(
        template_name=f"guests/{name}.html",
        context={**context, **LABELS},
        status_code=status,
        headers=PRIVATE_HEADERS,
    )


class GuestController(Controller):
    """A visitor signs up for a date with name and address; the emailed link confirms it."""

    @get("/termine/{session_id:int}/gast", name="guests:form")
    async def form(self, request: Request, session_id: FromPath[int]) -> Template | Redirect:
        row = await rules.access_guest_date(session_id)
        if request.user is not None or row["is_past"]:
            return Redirect(_date_url(request, row), status_code=303)
        return _page("signup", row=row, form=Form(values={"companions": "0"}))

    @post("/termine/{session_id:int}/gast", name="guests:request")
    async def request_signup(
        self, request: Request, session_id: FromPath[int]
    ) -> Template | Redirect:
        row = await rules.access_guest_date(session_id)
        form = await Form.from_request(request)
        data = schemas.parse_guest_request(form, session_id, row["max_companions"] or 0)
        if data is None or row["is_past"]:
            if row["is_past"]:
                form.errors["date"] = NOTICES["signup_closed"][0]
            return _page("signup", 400, row=row, form=form)
        await services.request_guest_signup(data, client_ip(request))
        return see_other(request, "guests:sent")

    @get("/gast/gesendet", name="guests:sent")
    async def sent(self) -> Template:
        return _page("check_inbox")

    @get("/gast/bestaetigen/{token:str}", name="guests:confirm")
    async def confirm_form(self, token: FromPath[str]) -> Template:
        """Opening the link only shows a button: mail programs that open links to check
        them must not sign anybody up."""
        if not await services.guest_link_usable(token):
            return _page("link_invalid", 410)
        return _page("confirm", token=token)

    @post("/gast/bestaetigen/{token:str}", name="guests:confirm_post")
    async def confirm(self, request: Request, token: FromPath[str]) -> Template | Response:
        try:
            confirmation = await services.confirm_guest_signup(token)
        except GuestLinkInvalidError:
            return _page("link_invalid", 410)
        except SessionNotFoundError:
            return _page("link_invalid", 410, gone=True)
        except SignUpRefusedError as refusal:
            return _page("refused", 409, reason=NOTICES.get(refusal.reason, ("", ""))[0])
        outcome = confirmation.outcome
        if not outcome.changed:
            key = "guest_signup_already"
        elif outcome.status == SignUpStatus.WAITLISTED.value:
            key = "guest_signup_waitlisted"
        else:
            key = "guest_signup_registered"
        response = see_other(request, "signup_link:show", token=confirmation.personal_token)
        return flash(remember_token(response, request, confirmation.personal_token), key)


class SignUpLinkController(Controller):
    """The personal page of one sign-up, opened by the link in its mails."""

    path = "/anmeldung/{token:str}"

    async def _show(
        self, request: Request, token: str, form: Form | None = None, status: int = 200
    ) -> Template:
        signup = await rules.access_signup_link(token)
        signup["place"] = place_text(signup)
        signup["is_past"] = signup["starts_at"] <= utcnow()
        return _page(
            "personal",
            status,
            signup=signup,
            token=token,
            is_guest=signup["role"] == Role.GUEST.value,
            form=form or Form(),
            date_url=_date_url(request, signup),
        )

    @get("/", name="signup_link:show")
    async def show(self, request: Request, token: FromPath[str]) -> Response:
        """Remembers the token in the browser, so scanning the check-in code at the place
        later finds this sign-up without logging in."""
        page = await self._show(request, token)
        return remember_token(page, request, token)

    @route("/kalender.ics", http_method=[HttpMethod.GET, HttpMethod.HEAD], name="signup_link:ics")
    async def calendar(self, token: FromPath[str]) -> Response:
        signup = await rules.access_signup_link(token)
        text = await date_ics(signup["session_id"], signup["user_id"])
        if text is None:
            raise NotFoundException()
        return Response(
            text,
            media_type="text/calendar",
            headers={
                "Content-Disposition": f'attachment; filename="termin-{signup["session_id"]}.ics"',
                **PRIVATE_HEADERS,
            },
        )

    @post("/absagen", name="signup_link:cancel")
    async def cancel(self, request: Request, token: FromPath[str]) -> Redirect:
        signup = await rules.access_signup_link(token)
        redirect = see_other(request, "signup_link:show", token=token)
        try:
            await signups.cancel(signup["user_id"], signup["session_id"])
        except SessionNotFoundError as error:
            raise NotFoundException() from error
        except SignUpRefusedError as refusal:
            return flash(redirect, refusal.reason)
        return flash(redirect, "guest_cancelled")

    @post("/konto", name="signup_link:upgrade")
    async def upgrade(self, request: Request, token: FromPath[str]) -> Template | Redirect:
        signup = await rules.access_signup_link(token)
        if signup["role"] != Role.GUEST.value:
            return see_other(request, "accounts:login")
        form = await Form.from_request(request)
        password = schemas.parse_upgrade(form, signup["email"])
        if password is None:
            return await self._show(request, token, form, 400)
        session_token = await services.upgrade_guest(signup["user_id"], password)
        if session_token is None:
            return see_other(request, "accounts:login")
        response = see_other(request, "profiles:edit")
        set_session_cookie(response, session_token)
        return flash(response, "guest_upgraded")


CONTROLLERS = [GuestController, SignUpLinkController]
