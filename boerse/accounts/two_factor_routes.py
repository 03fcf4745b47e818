"""Second factor for staff: the setup page in the account area (QR code, first code,
recovery codes shown once), switching it off, new recovery codes, and the code step of the
login. Every page here stays open to staff who still have to set it up."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.response import Redirect, Template

from boerse.accounts import schemas, services, two_factor_services
from boerse.accounts.auth import OPEN_BEFORE_SECOND_FACTOR
from boerse.accounts.guards import requires_officer
from boerse.accounts.routes import client_ip, signed_in
from boerse.accounts.services import LoginOutcome
from boerse.accounts.sessions import PENDING_COOKIE, clear_pending_cookie
from boerse.lib.flash import flash, register
from boerse.lib.forms import Form
from boerse.lib.i18n import N_
from boerse.lib.i18n import gettext as _
from boerse.lib.routing import see_other
from boerse.settings import get_settings

register("two_factor_disabled", N_("Die Zwei-Faktor-Anmeldung ist ausgeschaltet."))
register(
    "login_code_expired",
    N_("Die Anmeldung hat zu lange gedauert. Bitte melden Sie sich noch einmal an."),
    "warning",
)

# Pages that show a secret or recovery codes must not stay in a browser or proxy cache.
NO_STORE = {"Cache-Control": "no-store"}


def _page(name: str, status: int = 200, **context: Any) -> Template:
    return Template(
        template_name=f"accounts/{name}.html",
        context=context,
        status_code=status,
        headers=NO_STORE,
    )


def _code_problem() -> str:
    return _(
        "Der Code stimmt nicht. Bitte geben Sie den aktuellen Code aus Ihrer App ein "
        "(oder einen unbenutzten Wiederherstellungscode). Nach mehreren falschen Codes "
        "müssen Sie 15 Minuten warten."
    )


class TwoFactorController(Controller):
    path = "/konto"
    opt = {OPEN_BEFORE_SECOND_FACTOR: True}  # noqa: RUF012 - Litestar reads this class attribute

    @get("/zwei-faktor", name="accounts:two_factor", guards=[requires_officer])
    async def overview(self, request: Request) -> Template:
        return await self._overview(request, Form(), Form())

    @post("/zwei-faktor/einrichten", name="accounts:two_factor_confirm", guards=[requires_officer])
    async def confirm(self, request: Request) -> Template:
        form = await Form.from_request(request)
        code = schemas.parse_code(form)
        codes = await two_factor_services.confirm_setup(request.user.id, code) if code else None
        if codes is None:
            form.errors.setdefault("code", _code_problem())
            return await self._overview(request, form, Form(), 400)
        return _page("recovery_codes", codes=codes, first_time=True)

    @post(
        "/zwei-faktor/wiederherstellungscodes",
        name="accounts:two_factor_codes",
        guards=[requires_officer],
    )
    async def new_codes(self, request: Request) -> Template:
        form = await Form.from_request(request)
        code = schemas.parse_code(form)
        codes = (
            await two_factor_services.regenerate_recovery_codes(
                request.user.id, code, client_ip(request)
            )
            if code
            else None
        )
        if codes is None:
            form.errors.setdefault("code", _code_problem())
            return await self._overview(request, form, Form(), 400)
        return _page("recovery_codes", codes=codes, first_time=False)

    @post("/zwei-faktor/ausschalten", name="accounts:two_factor_disable", guards=[requires_officer])
    async def disable(self, request: Request) -> Template | Redirect:
        form = await Form.from_request(request)
        data = schemas.parse_switch_off(form)
        if data is not None and not await two_factor_services.disable(
            request.user.id, data.password, data.code, client_ip(request)
        ):
            form.errors["off_code"] = _(
                "Passwort oder Code stimmt nicht. Nach mehreren falschen Codes müssen Sie "
                "15 Minuten warten."
            )
        if not form.ok:
            return await self._overview(request, Form(), form, 400)
        return flash(see_other(request, "accounts:two_factor"), "two_factor_disabled")

    @get("/anmelden/code", name="accounts:login_code")
    async def login_code_form(self, request: Request) -> Template | Redirect:
        if await two_factor_services.pending_login(request.cookies.get(PENDING_COOKIE, "")) is None:
            return self._start_again(request)
        next_path = schemas.safe_next(request.query_params.get("next"))
        return _page("login_code", form=Form(values={"next": next_path}))

    @post("/anmelden/code", name="accounts:login_code_check")
    async def login_code(self, request: Request) -> Template | Redirect:
        form = await Form.from_request(request)
        code = schemas.parse_code(form)
        if code is None:
            return _page("login_code", 400, form=form)
        result = await services.log_in_second_step(
            request.cookies.get(PENDING_COOKIE, ""), code, client_ip(request)
        )
        if result.outcome == LoginOutcome.EXPIRED:
            return self._start_again(request)
        if result.outcome != LoginOutcome.OK:
            form.errors["code"] = _code_problem()
            return _page(
                "login_code", 429 if result.outcome == LoginOutcome.LOCKED else 400, form=form
            )
        return clear_pending_cookie(await signed_in(request, result, form.values.get("next")))

    async def _overview(
        self, request: Request, form: Form, off_form: Form, status: int = 200
    ) -> Template:
        user = request.user
        state = await two_factor_services.status(user.id)
        setup = (
            None if state.enabled else await two_factor_services.start_setup(user.id, user.email)
        )
        return _page(
            "two_factor",
            status,
            state=state,
            setup=setup,
            form=form,
            off_form=off_form,
            required=get_settings().staff_two_factor == "required",
        )

    def _start_again(self, request: Request) -> Redirect:
        response = see_other(request, "accounts:login")
        return flash(clear_pending_cookie(response), "login_code_expired")


CONTROLLERS = [TwoFactorController]
