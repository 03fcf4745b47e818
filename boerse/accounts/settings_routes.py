"""Konto: a signed-in person changes their password and email address, logs out
everywhere, and chooses the mails they receive. The account page (`accounts:overview`)
links every one of these pages."""

from __future__ import annotations

from typing import Any, ClassVar

from litestar import Controller, Request, get, post
from litestar.datastructures import Cookie
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from boerse.accounts import schemas, settings_services
from boerse.accounts.auth import SESSION_COOKIE, CurrentUser
from boerse.accounts.guards import requires_login
from boerse.accounts.language_routes import LOCALE_COOKIE_AGE
from boerse.accounts.routes import client_ip
from boerse.accounts.sessions import clear_session_cookie
from boerse.accounts.settings_services import Check, EmailChangeOutcome
from boerse.lib.flash import flash, register
from boerse.lib.forms import Form
from boerse.lib.i18n import N_, SUPPORTED_LOCALES
from boerse.lib.i18n import gettext as _
from boerse.lib.middleware import LOCALE_COOKIE
from boerse.lib.routing import see_other
from boerse.profiles.services import has_profile

PASSWORD_SAVED = register(
    "settings_password_changed",
    N_("Ihr Passwort ist geändert. Auf allen anderen Geräten sind Sie jetzt abgemeldet."),
)
EMAIL_LINK_SENT = register(
    "settings_email_link_sent",
    N_(
        "Bitte öffnen Sie den Link, den wir an die neue Adresse geschickt haben. Bis dahin "
        "bleibt Ihre bisherige Adresse gültig."
    ),
    "info",
)
EMAIL_CHANGED = register("settings_email_changed", N_("Ihre neue E-Mail-Adresse ist gespeichert."))
LOGGED_OUT_EVERYWHERE = register(
    "settings_logged_out_everywhere",
    N_("Sie sind jetzt auf allen Geräten abgemeldet, auch auf diesem."),
)
NOTIFICATIONS_SAVED = register(
    "settings_notifications_saved", N_("Ihre Einstellungen für E-Mails sind gespeichert.")
)

AuthRequest = Request[CurrentUser, None, Any]


def _page(name: str, status: int = 200, **context: Any) -> Template:
    return Template(template_name=f"accounts/{name}.html", context=context, status_code=status)


def _password_problem(form: Form, checked: Check, field: str = "current_password") -> int:
    """The message for a refused password (or mail request) and the page's status."""
    if checked == Check.LOCKED:
        form.errors[field] = _(
            "Zu viele falsche Passwörter. Bitte versuchen Sie es in 15 Minuten noch einmal."
        )
        return 429
    if checked == Check.MAIL_LIMIT:
        form.errors["email"] = _(
            "Sie haben in der letzten Stunde schon mehrere Links angefordert. Bitte versuchen "
            "Sie es später noch einmal."
        )
        return 429
    form.errors[field] = _("Das Passwort ist nicht richtig.")
    return 400


def _without_passwords(form: Form) -> Form:
    """A form shown again never carries a password back to the browser."""
    for name in ("current_password", "password", "password_repeat"):
        form.values.pop(name, None)
    return form


class SettingsController(Controller):
    path = "/konto"
    guards: ClassVar = [requires_login]

    @get("/passwort", name="accounts:password")
    async def password_form(self) -> Template:
        return _page("change_password", form=Form())

    @post("/passwort", name="accounts:password_save")
    async def change_password(self, request: AuthRequest) -> Template | Redirect:
        form = await Form.from_request(request)
        data = schemas.parse_password_change(form, request.user.email)
        if data is None:
            return _page("change_password", 400, form=_without_passwords(form))
        checked = await settings_services.change_password(
            request.user.id,
            data.current_password,
            data.new_password,
            request.cookies.get(SESSION_COOKIE, ""),
            client_ip(request),
        )
        if checked != Check.OK:
            status = _password_problem(form, checked)
            return _page("change_password", status, form=_without_passwords(form))
        return flash(see_other(request, "accounts:overview"), PASSWORD_SAVED)

    @get("/email", name="accounts:email")
    async def email_form(self) -> Template:
        return _page("change_email", form=Form())

    @post("/email", name="accounts:email_save")
    async def change_email(self, request: AuthRequest) -> Template | Redirect:
        form = await Form.from_request(request)
        data = schemas.parse_email_change(form, request.user.email)
        if data is None:
            return _page("change_email", 400, form=_without_passwords(form))
        checked = await settings_services.request_email_change(
            request.user.id, data.new_email, data.password, client_ip(request)
        )
        if checked != Check.OK:
            status = _password_problem(form, checked)
            return _page("change_email", status, form=_without_passwords(form))
        return flash(see_other(request, "accounts:overview"), EMAIL_LINK_SENT)

    @get("/ueberall-abmelden", name="accounts:logout_everywhere")
    async def logout_everywhere_form(self, request: AuthRequest) -> Template:
        others = await settings_services.other_session_count(
            request.user.id, request.cookies.get(SESSION_COOKIE, "")
        )
        return _page("logout_everywhere", others=others)

    @post("/ueberall-abmelden", name="accounts:logout_everywhere_confirmed")
    async def logout_everywhere(self, request: AuthRequest) -> Redirect:
        await settings_services.log_out_everywhere(request.user.id)
        response = clear_session_cookie(see_other(request, "accounts:login"))
        return flash(response, LOGGED_OUT_EVERYWHERE)

    @get("/benachrichtigungen", name="accounts:notifications")
    async def notifications_form(self, request: AuthRequest) -> Template:
        current = await settings_services.notification_settings(request.user.id)
        values = {
            "messages_ok": "on" if current.messages_ok else "",
            "signup_summary_ok": "on" if current.signup_summary_ok else "",
            "digest_ok": "on" if current.digest_ok else "",
            "language": current.language,
        }
        return _notifications_page(Form(values=values), current.digest_ok is not None)

    @post("/benachrichtigungen", name="accounts:notifications_save")
    async def save_notifications(self, request: AuthRequest) -> Template | Redirect:
        form = await Form.from_request(request)
        with_profile = await has_profile(request.user.id)
        choices = schemas.parse_notifications(
            form, SUPPORTED_LOCALES, with_profile, request.user.is_officer
        )
        if choices is None:
            return _notifications_page(form, with_profile, 400)
        await settings_services.save_notifications(request.user.id, choices)
        # As on the account page: the pages follow the language of the mails at once.
        response = see_other(request, "accounts:notifications")
        response.cookies.append(
            Cookie(
                key=LOCALE_COOKIE,
                value=choices.language,
                max_age=LOCALE_COOKIE_AGE,
                path="/",
                samesite="lax",
                httponly=False,
            )
        )
        return flash(response, NOTIFICATIONS_SAVED)


def _notifications_page(form: Form, with_profile: bool, status: int = 200) -> Template:
    return _page("notifications", status, form=form, with_profile=with_profile)


class EmailConfirmController(Controller):
    """The link in the mail to the new address: it may be opened in any browser (the link
    proves the address; the password was checked when the change was asked for). The GET
    only shows a button, so a mail scanner that fetches links cannot confirm by itself."""

    path = "/konto"

    @get("/email-bestaetigen", name="accounts:email_confirm")
    async def confirm_form(self, token: FromQuery[str] = "") -> Template:
        new_email = await settings_services.pending_email_change(token)
        if new_email is None:
            return _page("link_invalid", 400, reason="change_email")
        return _page("confirm_email", token=token, new_email=new_email)

    @post("/email-bestaetigen", name="accounts:email_confirmed")
    async def confirm(self, request: Request) -> Template | Redirect:
        form = await Form.from_request(request)
        outcome = await settings_services.confirm_email_change(str(form.values.get("token") or ""))
        if outcome == EmailChangeOutcome.INVALID:
            return _page("link_invalid", 400, reason="change_email")
        if outcome == EmailChangeOutcome.TAKEN:
            return _page("link_invalid", 409, reason="email_taken")
        target = "accounts:overview" if request.user is not None else "accounts:login"
        return flash(see_other(request, target), EMAIL_CHANGED)


CONTROLLERS = [SettingsController, EmailConfirmController]
