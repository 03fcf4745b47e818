"""Request-wide context: the negotiated locale and the one-shot notice cookie."""

from __future__ import annotations

from litestar.connection import ASGIConnection
from litestar.datastructures import MutableScopeHeaders
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from boerse.lib.flash import COOKIE as NOTICE_COOKIE
from boerse.lib.i18n import current_locale, negotiate_locale

LOCALE_COOKIE = "boerse_lang"
# Route option (`opt`) of pages whose `?lang=` counts for that response only and sets no
# cookie: the embeddable widget follows its host page's language, never the visitor's choice.
LANGUAGE_FOR_RESPONSE_ONLY = "language_for_response_only"


def _query_lang(scope: Scope) -> str | None:
    for part in scope.get("query_string", b"").decode("latin-1").split("&"):
        if part.startswith("lang="):
            return part[5:]
    return None


def locale_and_notice_middleware(app: ASGIApp) -> ASGIApp:
    """Sets the locale ContextVar for the whole request (rendering included) and clears a
    shown notice once a page (not a redirect) has been sent."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        # Litestar's parser, cached in the scope: the CSRF and session middleware and the
        # handlers reuse these cookies instead of parsing the header again.
        connection = ASGIConnection(scope)
        cookies = connection.cookies
        query_lang = _query_lang(scope)
        locale = negotiate_locale(
            query_lang, cookies.get(LOCALE_COOKIE), connection.headers.get("accept-language")
        )
        token = current_locale.set(locale)
        had_notice = NOTICE_COOKIE in cookies

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableScopeHeaders.from_message(message)
                if had_notice and message["status"] < 300:
                    headers.add("set-cookie", f"{NOTICE_COOKIE}=; Max-Age=0; Path=/; SameSite=Lax")
                handler = scope.get("route_handler")
                remembered = handler is None or not handler.opt.get(LANGUAGE_FOR_RESPONSE_ONLY)
                if query_lang == locale and remembered:
                    headers.add(
                        "set-cookie",
                        f"{LOCALE_COOKIE}={locale}; Max-Age=31536000; Path=/; SameSite=Lax",
                    )
            await send(message)

        try:
            await app(scope, receive, send_wrapper)
        finally:
            current_locale.reset(token)

    return middleware
