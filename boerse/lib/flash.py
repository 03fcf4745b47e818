"""One-shot notices after a redirect ("Ihre Anmeldung ist eingegangen").

The cookie holds only a key from this registry, never free text, so it needs no signing
and cannot be used to inject content."""

from __future__ import annotations

from litestar import Request, Response

from boerse.lib.i18n import N_

COOKIE = "boerse_notice"

NOTICES: dict[str, tuple[str, str]] = {}


def register(key: str, text: str, kind: str = "success") -> str:
    """Domains register their notices at import time; `kind` is success, info or warning."""
    NOTICES[key] = (text, kind)
    return key


def flash(response: Response, key: str) -> Response:
    if key not in NOTICES:
        raise KeyError(key)
    response.set_cookie(COOKIE, key, max_age=60, httponly=True, samesite="lax", path="/")
    return response


def pop_notice(request: Request) -> tuple[str, str] | None:
    """Returns (msgid, kind); the base template translates and the after_request hook clears it."""
    return NOTICES.get(request.cookies.get(COOKIE, ""))


register("saved", N_("Ihre Änderungen wurden gespeichert."))
