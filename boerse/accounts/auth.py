"""Who is asking: the login-session cookie resolves to a `CurrentUser` on every request."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from litestar.connection import ASGIConnection
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult

from boerse.accounts.tables import LoginSession, Role, User
from boerse.lib.db import utcnow
from boerse.lib.security import hash_token
from boerse.settings import get_settings

SESSION_COOKIE = "boerse_session"
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

    @property
    def is_officer(self) -> bool:
        return self.role in {Role.OFFICER, Role.ADMIN}

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def name(self) -> str:
        return self.display_name or self.email.split("@")[0]


async def user_for_session_token(token: str) -> CurrentUser | None:
    """One query per request; expired or idle sessions are deleted on sight."""
    if not token:
        return None
    row = (
        await LoginSession.select(
            LoginSession.id,
            LoginSession.created_at,
            LoginSession.last_seen_at,
            *LoginSession.user.all_columns(exclude=[User.password_hash]),
        )
        .where(LoginSession.token_hash == hash_token(token))
        .output(nested=True)
        .first()
    )
    if row is None or not row["user"]["is_active"]:
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
    user = row["user"]
    return CurrentUser(
        id=user["id"],
        email=user["email"],
        display_name=user["display_name"],
        role=user["role"],
        organisation_id=user["organisation"],
        email_verified=user["email_verified_at"] is not None,
    )


class SessionAuthMiddleware(AbstractAuthenticationMiddleware):
    """Anonymous visitors get `request.user is None`; guards decide what they may see."""

    async def authenticate_request(self, connection: ASGIConnection) -> AuthenticationResult:
        user = await user_for_session_token(connection.cookies.get(SESSION_COOKIE, ""))
        return AuthenticationResult(user=user, auth=None)
