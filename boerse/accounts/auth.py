"""Who is asking: the login-session cookie resolves to a `CurrentUser` on every request."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from litestar import Litestar
from litestar.connection import ASGIConnection
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.response.redirect import ASGIRedirectResponse
from litestar.types import ASGIApp, Receive, Scope, Send
from piccolo.columns.combination import WhereRaw

from boerse.accounts.tables import LoginSession, Role
from boerse.lib.db import CachedSelect, utcnow
from boerse.lib.i18n import DEFAULT_LOCALE
from boerse.lib.security import hash_token
from boerse.settings import get_settings

SESSION_COOKIE = "boerse_session"
# Route option (`opt`) of the few pages staff reach before setting up the second factor
# while it is required: the setup pages themselves and logging out.
OPEN_BEFORE_SECOND_FACTOR = "open_before_second_factor"
# Writing last_seen on every request would make every page a write; a few minutes is precise enough.
TOUCH_INTERVAL = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class CurrentUser:
    id: int
    email: str
    display_name: str
    role: str
    organisation_id: int | None
    email_verified: bool
    two_factor_enabled: bool = False
    language: str = DEFAULT_LOCALE
    """The language of the person's emails (the pages follow the browser and the footer link)."""

    @property
    def is_officer(self) -> bool:
        return self.role in {Role.OFFICER, Role.ADMIN}

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def name(self) -> str:
        return self.display_name or self.email.split("@")[0]


def _session_select() -> Any:
    """The session and its user in one statement, written once per process (`_SESSION`):
    every signed-in request runs it, and building it anew (a join) cost ~2 ms of Python each
    time. A session whose password was checked but whose code was not signs nobody in (see
    `two_factor_services`)."""
    user = LoginSession.user
    query = LoginSession.select(
        LoginSession.id,
        LoginSession.created_at,
        LoginSession.last_seen_at,
        user.id.as_alias("user_id"),
        user.email.as_alias("email"),
        user.display_name.as_alias("display_name"),
        user.role.as_alias("role"),
        user.organisation.as_alias("organisation"),
        user.email_verified_at.as_alias("email_verified_at"),
        user.totp_enabled_at.as_alias("totp_enabled_at"),
        user.language.as_alias("language"),
        user.is_active.as_alias("is_active"),
    ).where(
        WhereRaw(
            "login_session.token_hash = token__ AND login_session.second_factor_pending = FALSE"
        )
    )
    return query.limit(1)


_SESSION = CachedSelect(_session_select, "token__")


async def user_for_session_token(token: str) -> CurrentUser | None:
    """One query per request; expired or idle sessions are deleted on sight."""
    if not token:
        return None
    row = await _SESSION.first(hash_token(token))
    if row is None or not row["is_active"]:
        return None
    settings = get_settings()
    now = utcnow()
    if now - row["last_seen_at"] > dt.timedelta(minutes=settings.session_idle_minutes) or now - row[
        "created_at"
    ] > dt.timedelta(days=settings.session_max_days):
        await LoginSession.delete().where(LoginSession.id == row["id"])
        return None
    if now - row["last_seen_at"] > TOUCH_INTERVAL:
        await LoginSession.update({LoginSession.last_seen_at: now}).where(
            LoginSession.id == row["id"]
        )
    return CurrentUser(
        id=row["user_id"],
        email=row["email"],
        display_name=row["display_name"],
        role=row["role"],
        organisation_id=row["organisation"],
        email_verified=row["email_verified_at"] is not None,
        two_factor_enabled=row["totp_enabled_at"] is not None,
        language=row["language"],
    )


class SessionAuthMiddleware(AbstractAuthenticationMiddleware):
    """Anonymous visitors get `request.user is None`; guards decide what they may see.
    Staff without a second factor, while it is required, are sent to set it up first."""

    def __init__(self, app: ASGIApp, **options: Any) -> None:
        super().__init__(_second_factor_setup_first(app), **options)

    async def authenticate_request(self, connection: ASGIConnection) -> AuthenticationResult:
        user = await user_for_session_token(connection.cookies.get(SESSION_COOKIE, ""))
        return AuthenticationResult(user=user, auth=None)


def must_set_up_second_factor(user: CurrentUser | None, route_opt: Mapping[str, Any]) -> bool:
    """Whether this staff member may open this page only after setting up the second factor:
    one check for every page (not one per handler), so no new page can forget it."""
    return (
        user is not None
        and user.is_officer
        and not user.two_factor_enabled
        and get_settings().staff_two_factor == "required"
        and not route_opt.get(OPEN_BEFORE_SECOND_FACTOR)
    )


def _second_factor_setup_first(app: ASGIApp) -> ASGIApp:
    """Runs after authentication (which fills `scope["user"]`), before the handler."""

    async def guarded(scope: Scope, receive: Receive, send: Send) -> None:
        handler = scope.get("route_handler")
        opt = handler.opt if handler is not None else {}
        if must_set_up_second_factor(scope.get("user"), opt):
            target = Litestar.from_scope(scope).route_reverse("accounts:two_factor")
            await ASGIRedirectResponse(path=target, status_code=303)(scope, receive, send)
            return
        await app(scope, receive, send)

    return guarded
