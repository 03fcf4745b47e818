"""Error pages: every failure becomes a page in the user's language, never a stack trace."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote

from litestar import Request, Response
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
    ValidationException,
)
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from boerse.lib.i18n import current_locale, negotiate_locale
from boerse.lib.middleware import LOCALE_COOKIE

log = logging.getLogger(__name__)

Handler = Callable[[Request, Any], Any]

# Row ids are PostgreSQL `serial` (int4); a larger number in a path names no row, and
# passing it on would fail in the driver (int4 on PostgreSQL, int8 on SQLite) with a 500.
LARGEST_ID = 2**31 - 1


def _page(template: str, status: int, request: Request | None = None) -> Template:
    if request is not None:
        _use_locale_of(request)
    return Template(template_name=template, status_code=status)


def _use_locale_of(request: Request) -> None:
    """A path that matches no route never passes the locale middleware (Litestar runs
    middleware per route), so the 404 page negotiates the language itself."""
    current_locale.set(
        negotiate_locale(
            request.query_params.get("lang"),
            request.cookies.get(LOCALE_COOKIE),
            request.headers.get("accept-language"),
        )
    )


async def refuse_impossible_ids(request: Request) -> None:
    """Before every handler: a numeric path parameter outside what an id can be is a 404,
    whatever the route (Litestar's `before_request`)."""
    for value in request.path_params.values():
        if isinstance(value, int) and not 0 <= value <= LARGEST_ID:
            raise NotFoundException()


def not_authenticated(request: Request, _: NotAuthorizedException) -> Response:
    """Send the visitor to the login form and bring them back afterwards."""
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    login = request.app.route_reverse("accounts:login")
    return Redirect(f"{login}?next={quote(target)}", status_code=303)


def forbidden(_: Request, __: PermissionDeniedException) -> Template:
    return _page("errors/403.html", 403)


def not_found(request: Request, _: NotFoundException) -> Template:
    return _page("errors/404.html", 404, request)


def bad_request(_: Request, __: ValidationException) -> Template:
    return _page("errors/400.html", 400)


def http_error(request: Request, error: HTTPException) -> Template:
    if error.status_code == 403:  # the CSRF check raises a plain 403
        return _page("errors/403.html", 403)
    if error.status_code in (404, 405):
        return _page("errors/404.html", error.status_code, request)
    return _page("errors/400.html", error.status_code)


def server_error(request: Request, error: Exception) -> Template:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=error)
    return _page("errors/500.html", HTTP_500_INTERNAL_SERVER_ERROR)


def _handler_in(table: Mapping[type, Handler], error: Exception) -> Handler:
    """The handler of the closest class of `error` in `table` (as Litestar looks them up)."""
    for kind in type(error).__mro__:
        if kind in table:
            return table[kind]
    return table[Exception]


def under_prefix(
    default: Mapping[type, Handler], prefix: str, special: Mapping[type, Handler]
) -> dict[type, Handler]:
    """App-level handlers that answer requests under `prefix` from `special` (the API's
    problem details) and all others from `default` (the pages). A router's own handlers
    never see what fails before a route is found (no such address, wrong method): only
    the app's do, so the API's errors for those are chosen here by path."""

    def dispatch(request: Request, error: Exception) -> Any:
        table = special if request.url.path.startswith(prefix) else default
        return _handler_in(table, error)(request, error)

    return {kind: dispatch for kind in {*default, *special}}


EXCEPTION_HANDLERS = {
    NotAuthorizedException: not_authenticated,
    PermissionDeniedException: forbidden,
    NotFoundException: not_found,
    ValidationException: bad_request,
    HTTPException: http_error,
    Exception: server_error,
}
