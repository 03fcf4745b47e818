"""Login sessions: a fresh random id at every login (no fixation), deleted at logout."""

from __future__ import annotations

from litestar import Response

from boerse.accounts.auth import SESSION_COOKIE
from boerse.accounts.tables import LoginSession, User
from boerse.lib.db import utcnow
from boerse.lib.security import hash_token, new_token
from boerse.settings import get_settings

# The half-finished staff login (password right, code to come) lives in a cookie of its own
# that only the code page reads, so it can never be mistaken for a login.
PENDING_COOKIE = "boerse_2fa"
PENDING_COOKIE_PATH = "/konto"
PENDING_COOKIE_SECONDS = 600


async def start_session(user_id: int, second_factor_pending: bool = False) -> str:
    """Creates the server-side session and returns the token for the cookie. A pending
    session (password right, code still to come) is not a login yet."""
    token, token_hash = new_token()
    await LoginSession.insert(
        LoginSession(
            token_hash=token_hash, user=user_id, second_factor_pending=second_factor_pending
        )
    )
    if not second_factor_pending:
        await User.update({User.last_login_at: utcnow()}).where(User.id == user_id)
    return token


async def end_session(token: str) -> None:
    if token:
        await LoginSession.delete().where(LoginSession.token_hash == hash_token(token))


async def end_all_sessions(user_id: int) -> None:
    """After a password reset every other device is logged out."""
    await LoginSession.delete().where(LoginSession.user == user_id)


def _set_private_cookie(
    response: Response, name: str, token: str, path: str, max_age: int
) -> Response:
    """Login cookies: never readable by scripts, sent only over HTTPS in production."""
    response.set_cookie(
        name,
        token,
        httponly=True,
        secure=get_settings().secure_cookies,
        samesite="lax",
        path=path,
        max_age=max_age,
    )
    return response


def set_session_cookie(response: Response, token: str) -> Response:
    max_age = get_settings().session_max_days * 86400
    return _set_private_cookie(response, SESSION_COOKIE, token, "/", max_age)


def clear_session_cookie(response: Response) -> Response:
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def set_pending_cookie(response: Response, token: str) -> Response:
    return _set_private_cookie(
        response, PENDING_COOKIE, token, PENDING_COOKIE_PATH, PENDING_COOKIE_SECONDS
    )


def clear_pending_cookie(response: Response) -> Response:
    response.delete_cookie(PENDING_COOKIE, path=PENDING_COOKIE_PATH)
    return response
