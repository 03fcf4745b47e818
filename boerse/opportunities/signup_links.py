"""The personal link of a sign-up: the confirmation, reminder and survey mails carry it, and
whoever holds it can see, cancel and check in to that one sign-up without an account (guests)
or without logging in on the phone at the place (residents).

The token is an HMAC of the sign-up's id under the town's secret key, so every mail about the
same sign-up can carry the same link without the token being stored; the database keeps only
its SHA-256 (`SignUp.link_hash`) to find the sign-up again. Opening the link remembers the
token in an http-only cookie, so scanning the QR code at the place later finds the sign-up."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

from litestar import Request, Response

from boerse.lib.security import hash_token
from boerse.opportunities.tables import SignUp
from boerse.settings import get_settings

PERSONAL_ROUTE = "signup_link:show"
"""Route name of the page the link opens (path parameter `token`)."""
REMEMBER_COOKIE = "boerse_signups"
REMEMBER_DAYS = 180
MAX_REMEMBERED = 20


def link_token(signup_id: int) -> str:
    """The sign-up's token: the same for every mail about it, unguessable without the key."""
    key = get_settings().secret_key.encode()
    digest = hmac.new(key, f"signup-link:{signup_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


async def ensure_link(signup_id: int) -> str:
    """Record the token's hash (inside the caller's transaction) and return the token."""
    token = link_token(signup_id)
    await SignUp.update({SignUp.link_hash: hash_token(token)}).where(
        (SignUp.id == signup_id) & SignUp.link_hash.is_null()
    )
    return token


def signup_link_url(signup_id: int) -> str:
    """The absolute personal link for mails (call `ensure_link` in the same transaction)."""
    from boerse.lib.urls import site_url

    return site_url(PERSONAL_ROUTE, token=link_token(signup_id))


async def signup_ids_of_tokens(tokens: list[str]) -> list[int]:
    """The sign-ups these tokens open (unknown tokens are ignored)."""
    if not tokens:
        return []
    rows = await SignUp.select(SignUp.id).where(
        SignUp.link_hash.is_in([hash_token(token) for token in tokens])
    )
    return [row["id"] for row in rows]


def remembered_tokens(request: Request[Any, Any, Any]) -> list[str]:
    """Tokens this browser opened before (newest first)."""
    value = request.cookies.get(REMEMBER_COOKIE, "")
    return [token for token in value.split(".") if token][:MAX_REMEMBERED]


def remember_token(
    response: Response[Any], request: Request[Any, Any, Any], token: str
) -> Response[Any]:
    """Keep `token` in the browser's cookie (http-only, this site only), newest first."""
    tokens = [token] + [old for old in remembered_tokens(request) if old != token]
    response.set_cookie(
        REMEMBER_COOKIE,
        ".".join(tokens[:MAX_REMEMBERED]),
        httponly=True,
        secure=get_settings().secure_cookies,
        samesite="lax",
        path="/",
        max_age=REMEMBER_DAYS * 86400,
    )
    return response
