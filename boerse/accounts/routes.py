"""Registration, email verification, login and logout, and the forgotten-password flow."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Litestar, Request, Response, get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from boerse.accounts import schemas, services
from boerse.accounts.auth import OPEN_BEFORE_SECOND_FACTOR, SESSION_COOKIE
from boerse.accounts.guards import requires_login
from boerse.accounts.rules import needs_verification
from boerse.accounts.services import LoginOutcome
from boerse.accounts.sessions import (
    clear_session_cookie,
    end_session,
    set_pending_cookie,
    set_session_cookie,
)
from boerse.accounts.tables import Role
from boerse.lib.flash import flash, register
from boerse.lib.forms import Form
from boerse.lib.i18n import N_
from boerse.lib.i18n import gettext as _
from boerse.lib.routing import see_other
from boerse.profiles.services import has_profile

register("logged_in", N_("Sie sind angemeldet."))
register(
    "logged_in_unverified",
    N_(
        "Sie sind angemeldet. Bitte bestätigen Sie noch Ihre E-Mail-Adresse "
        "über den Link, den wir Ihnen geschickt haben."
    ),
    "warning",
)
register("logged_out", N_("Sie sind abgemeldet."))
register("email_verified", N_("Vielen Dank, Ihre E-Mail-Adresse ist bestätigt."))
register("verification_sent", N_("Wir haben Ihnen einen neuen Bestätigungslink geschickt."))
register(
    "password_changed",
    N_("Ihr Passwort ist geändert. Bitte melden Sie sich mit dem neuen Passwort an."),
)


def client_ip(request: Request) -> str:
    """The connecting address as uvicorn reports it (behind the compose proxy, taken from
    the X-Forwarded-For header that Caddy sets; see `ratelimit`)."""
    return request.client.host if request.client else "unknown"


def _after_verification(request: Request) -> str:
    """Back to the page the person came from (the date they wanted to book), through the
    login when the link was opened in a browser that is not signed in."""
    next_path = schemas.safe_next(request.query_params.get("next"))
    if request.user is not None:
        if next_path == schemas.DEFAULT_NEXT:
            return request.app.route_reverse("accounts:overview")
        return next_path
    login = request.app.route_reverse("accounts:login")
    if next_path == schemas.DEFAULT_NEXT:
        return login
    return f"{login}?{urlencode({'next': next_path})}"


def _page(name: str, status: int = 200, **context: Any) -> Template:
    return Template(template_name=f"accounts/{name}.html", context=context, status_code=status)


class AccountController(Controller):
    path = "/konto"

    @get("/", name="accounts:overview", guards=[requires_login])
    async def overview(self, request: Request) -> Template:
        return _page("overview", form=Form(values={"language": request.user.language}))

    @get("/registrieren", name="accounts:register")
    async def register_form(self, request: Request) -> Template:
        next_path = schemas.safe_next(request.query_params.get("next"))
        return _page("register", form=Form(values={"next": next_path}))

    @post("/registrieren")
    async def register(self, request: Request) -> Template | Redirect:
        form = await Form.from_request(request)
        data = schemas.parse_registration(form)
        if data is None:
            return _page("register", 400, form=form)
        await services.register_resident(data)
        return see_other(request, "accounts:registered")

    @get("/registriert", name="accounts:registered")
    async def registered(self) -> Template:
        return _page("check_inbox", reason="register")

    @get("/bestaetigen", name="accounts:verify")
    async def verify(self, request: Request, token: FromQuery[str] = "") -> Template | Redirect:
        """Most people open the link in a fresh browser: send them to a plain login, whose
        landing page then leads a new resident to the profile instead of the account page."""
        if not await services.verify_email(token):
            return _page("link_invalid", 400, reason="verify")
        return flash(Redirect(_after_verification(request), status_code=303), "email_verified")

    @get("/bestaetigung-erneut", name="accounts:resend", guards=[requires_login])
    async def resend_form(self, request: Request) -> Template:
        next_path = schemas.safe_next(request.query_params.get("next"))
        return _page("resend", unverified=needs_verification(request.user), next_path=next_path)

    @post("/bestaetigung-erneut", guards=[requires_login])
    async def resend(self, request: Request) -> Template | Redirect:
        next_path = schemas.safe_next((await Form.from_request(request)).values.get("next"))
        if not await services.resend_verification(request.user.id, client_ip(request), next_path):
            return _page("resend", 429, unverified=True, limited=True, next_path=next_path)
        return flash(see_other(request, "accounts:overview"), "verification_sent")

    @get("/anmelden", name="accounts:login")
    async def login_form(self, request: Request) -> Template | Redirect:
        next_path = schemas.safe_next(request.query_params.get("next"))
        if request.user is not None:
            return Redirect(next_path, status_code=303)
        return _page("login", form=Form(values={"next": next_path}))

    @post("/anmelden")
    async def login(self, request: Request) -> Template | Response:
        form = await Form.from_request(request)
        credentials = schemas.parse_login(form)
        if credentials is None:
            return _page("login", 400, form=form)
        result = await services.log_in(credentials.email, credentials.password, client_ip(request))
        if result.outcome == LoginOutcome.SECOND_FACTOR:
            return _second_step(request, result.session_token, form.values.get("next"))
        if result.outcome != LoginOutcome.OK:
            form.errors["email"] = _login_problem(result.outcome)
            status = 429 if result.outcome == LoginOutcome.LOCKED else 400
            return _page("login", status, form=form)
        return await signed_in(request, result, form.values.get("next"))

    @post("/abmelden", name="accounts:logout", opt={OPEN_BEFORE_SECOND_FACTOR: True})
    async def logout(self, request: Request) -> Redirect:
        await end_session(request.cookies.get(SESSION_COOKIE, ""))
        response = clear_session_cookie(see_other(request, "home"))
        return flash(response, "logged_out")

    @get("/passwort-vergessen", name="accounts:forgot")
    async def forgot_form(self) -> Template:
        return _page("forgot_password", form=Form())

    @post("/passwort-vergessen")
    async def forgot(self, request: Request) -> Template | Redirect:
        form = await Form.from_request(request)
        email = schemas.parse_email_only(form)
        if email is None:
            return _page("forgot_password", 400, form=form)
        await services.request_password_reset(email, client_ip(request))
        return see_other(request, "accounts:forgot_sent")

    @get("/passwort-vergessen/gesendet", name="accounts:forgot_sent")
    async def forgot_sent(self) -> Template:
        return _page("check_inbox", reason="reset")

    @get("/passwort-neu", name="accounts:reset")
    async def reset_form(self, token: FromQuery[str] = "") -> Template:
        if await services.reset_token_email(token) is None:
            return _page("link_invalid", 400, reason="reset")
        return _page("reset_password", form=Form(), token=token)

    @post("/passwort-neu")
    async def reset(self, request: Request) -> Template | Redirect:
        form = await Form.from_request(request)
        token = str(form.values.get("token") or "")
        email = await services.reset_token_email(token)
        if email is None:
            return _page("link_invalid", 400, reason="reset")
        password = schemas.parse_new_password(form, email)
        if password is None:
            return _page("reset_password", 400, form=form, token=token)
        if not await services.reset_password(token, password):
            return _page("link_invalid", 400, reason="reset")
        response = clear_session_cookie(see_other(request, "accounts:login"))
        return flash(response, "password_changed")


def _second_step(request: Request, pending_token: str, requested: str | None) -> Redirect:
    """Staff with a second factor: on to the code page, the half-login in its own cookie."""
    code_page = request.app.route_reverse("accounts:login_code")
    target = f"{code_page}?{urlencode({'next': schemas.safe_next(requested)})}"
    return set_pending_cookie(Redirect(target, status_code=303), pending_token)


def _login_problem(outcome: LoginOutcome) -> str:
    if outcome == LoginOutcome.LOCKED:
        return _(
            "Zu viele Anmeldeversuche von Ihrem Internetanschluss aus. Bitte versuchen Sie "
            "es in 15 Minuten noch einmal. Wenn Sie Ihr Passwort vergessen haben, können "
            "Sie es zurücksetzen."
        )
    if outcome == LoginOutcome.INACTIVE:
        return _(
            "Dieses Konto ist gesperrt. Bitte wenden Sie sich an die Stadtverwaltung, "
            "wenn Sie es wieder nutzen möchten."
        )
    return _("E-Mail-Adresse oder Passwort ist nicht richtig.")


CONTROLLERS = [AccountController]


async def signed_in(
    request: Request, result: services.LoginResult, requested: str | None
) -> Redirect:
    """The answer to a completed login (password, or password and code): the session
    cookie, on to the landing page, and the notice."""
    response = Redirect(await landing_page(request.app, result, requested), status_code=303)
    set_session_cookie(response, result.session_token)
    return flash(response, "logged_in" if result.verified else "logged_in_unverified")


async def landing_page(app: Litestar, result: services.LoginResult, requested: str | None) -> str:
    """Where a fresh login goes: the page asked for; else staff to their work (officers to
    Verwaltung, admins to Administration), a resident without a profile to fill it in
    (matching and invitations need it), everyone else to the opportunities."""
    target = schemas.safe_next(requested)
    if target != schemas.DEFAULT_NEXT:
        return target
    if result.role == Role.ADMIN:
        return app.route_reverse("admin:index")
    if result.role == Role.OFFICER:
        return app.route_reverse("opportunities:manage")
    if result.role == Role.RESIDENT and not await has_profile(result.user_id):
        return app.route_reverse("profiles:edit")
    return target
