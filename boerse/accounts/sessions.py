"""Login sessions: a fresh random id at every login (no fixation), deleted at logout."""

from __future__ import annotations

from litestar import Response

from boerse.accounts.auth import SESSION_COOKIE
from boerse.accounts.tables import LoginSession, User
from boerse.lib.db import utcnow
from boerse.lib.security import hash_token, new_token
from boerse.settings import get_settings


async def start_session(user_id: int) -> str:
    """Creates the server-side session and returns the token for the cookie."""
    token, token_hash = new_token()
    await LoginSession.insert(LoginSession(token_hash=token_hash, user=user_id))
    await User.update({User.last_login_at: utcnow()}).where(User.id == user_id)
    return token


async def end_session(token: str) -> None:
    if token:
        await LoginSession.delete().where(LoginSession.token_hash == hash_token(token))


async def end_all_sessions(user_id: int) -> None:
    """After a password reset every other device is logged out."""
    await LoginSession.delete().where(LoginSession.user == user_id)


def set_session_cookie(response: Response, token: str) -> Response:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        secure=get_settings().secure_cookies,
        samesite="lax",
        path="/",
        max_age=get_settings().session_max_days * 86400,
    )
    return response


def clear_session_cookie(response: Response) -> Response:
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
