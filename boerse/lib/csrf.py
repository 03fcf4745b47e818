"""CSRF tokens bound to the visitor's session (replaces Litestar's `CSRFConfig`).

Litestar's double-submit cookie accepts any cookie and token that belong together: a pair
an attacker got from their own visit, planted in a victim's browser (a sibling subdomain
or a plain-http response can set cookies), passes for the victim's session. Here a token
is valid only for the browser state it was made for:

- signed in (session cookie present): bound to that session's secret cookie value, which is
  new at every login, so a token from before the login, or from another account, is refused;
- not signed in (login, registration, password reset): bound to a random pre-session
  cookie, which is replaced whenever the session cookie is set or cleared (login, logout).

A token is `nonce.HMAC(SECRET_KEY, nonce + binding)`: a fresh nonce per page, so a
compressed page never repeats the same secret bytes (BREACH), and the binding never leaves
the server in clear. Kept from Litestar: the form field `_csrf_token`, the header
`x-csrftoken`, the template variable `csrf_input` (it reads the token from the scope
state set here), the route option `exclude_from_csrf`, and a 403 (our error page) on
failure."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping

from litestar import Request
from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.enums import RequestEncodingType
from litestar.exceptions import PermissionDeniedException
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from litestar.utils.scope.state import ScopeState

CSRF_COOKIE = "boerse_csrf"
FORM_FIELD = "_csrf_token"
HEADER = "x-csrftoken"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def binding_of(cookies: Mapping[str, str], session_cookie: str) -> str | None:
    """What a token is bound to: the session if there is one, else the pre-session cookie."""
    if cookies.get(session_cookie):
        return f"session:{cookies[session_cookie]}"
    if cookies.get(CSRF_COOKIE):
        return f"visit:{cookies[CSRF_COOKIE]}"
    return None


def make_token(secret: str, binding: str, nonce: str | None = None) -> str:
    nonce = nonce or secrets.token_urlsafe(12)
    mac = hmac.new(secret.encode(), f"csrf\0{nonce}\0{binding}".encode(), hashlib.sha256)
    return f"{nonce}.{mac.hexdigest()}"


def token_matches(secret: str, binding: str, token: str) -> bool:
    nonce, dot, _ = token.partition(".")
    if not nonce or not dot:
        return False
    return hmac.compare_digest(make_token(secret, binding, nonce), token)


class CSRFMiddleware(ASGIMiddleware):
    """Checks every unsafe request, and gives every page a token for its forms."""

    exclude_opt_key = "exclude_from_csrf"

    @staticmethod
    def should_bypass_for_scope(scope: Scope) -> bool:
        """Static files get no token and no cookie (a path prefix, not a route pattern, as
        Litestar 3 will require)."""
        return scope["path"].startswith("/static/")

    def __init__(self, secret: str, session_cookie: str, secure_cookies: bool) -> None:
        self.secret = secret
        self.session_cookie = session_cookie
        self.secure_cookies = secure_cookies

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        # The same cookie parser as the session middleware: both see the same session.
        request = scope["litestar_app"].request_class(scope=scope, receive=receive)
        binding = binding_of(request.cookies, self.session_cookie)
        new_visit = None
        if binding is None:
            new_visit = secrets.token_urlsafe(32)
            binding = f"visit:{new_visit}"
        if scope["method"] not in SAFE_METHODS:
            sent = await self._submitted_token(request)
            if new_visit is not None or not sent or not token_matches(self.secret, binding, sent):
                raise PermissionDeniedException("CSRF token verification failed")
        ScopeState.from_scope(scope).csrf_token = make_token(self.secret, binding)
        await next_app(scope, receive, self._send_cookie(send, new_visit))

    async def _submitted_token(self, request: Request) -> str:
        """From the header, else from the form (Litestar keeps the parsed body for the handler)."""
        token = request.headers.get(HEADER)
        if not token and request.content_type[0] in (
            RequestEncodingType.URL_ENCODED,
            RequestEncodingType.MULTI_PART,
        ):
            value = (await request.form()).get(FORM_FIELD)
            token = value if isinstance(value, str) else None
        return token or ""

    def _send_cookie(self, send: Send, new_visit: str | None) -> Send:
        """Sets the pre-session cookie on a first visit, and a new one whenever the response
        sets or clears the session cookie: a planted pre-session value dies at login."""

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableScopeHeaders.from_message(message)
                value = new_visit
                session_changed = any(
                    cookie.startswith(f"{self.session_cookie}=")
                    for cookie in headers.getall("set-cookie", [])
                )
                if session_changed:
                    value = secrets.token_urlsafe(32)
                if value is not None:
                    cookie = Cookie(
                        key=CSRF_COOKIE,
                        value=value,
                        path="/",
                        secure=self.secure_cookies,
                        httponly=True,
                        samesite="lax",
                    )
                    headers.add("set-cookie", cookie.to_header(header=""))
            await send(message)

        return wrapped
