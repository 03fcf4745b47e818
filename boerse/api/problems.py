"""Errors of the API as RFC 9457 problem details (`application/problem+json`), never an
HTML page and never a stack trace: a client learns which parameter was wrong and why."""

from __future__ import annotations

import logging
from typing import Annotated, Any

import msgspec
from litestar import Request, Response
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
    TooManyRequestsException,
    ValidationException,
)
from litestar.openapi.datastructures import ResponseSpec

from boerse.lib.i18n import gettext as _

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"


class InvalidParam(msgspec.Struct):
    """One rejected query parameter (RFC 9457 section 3's `invalid-params` extension)."""

    name: Annotated[str, msgspec.Meta(description="The query parameter's name.")]
    reason: Annotated[str, msgspec.Meta(description="Why it was rejected, in plain words.")]


class Problem(msgspec.Struct, rename={"invalid_params": "invalid-params"}):
    """RFC 9457 problem details."""

    title: Annotated[str, msgspec.Meta(description="Short summary of the kind of problem.")]
    status: Annotated[int, msgspec.Meta(description="The HTTP status code.")]
    detail: Annotated[str, msgspec.Meta(description="What went wrong with this request.")] = ""
    type: Annotated[str, msgspec.Meta(description="A URI naming the kind of problem.")] = (
        "about:blank"
    )
    invalid_params: Annotated[
        list[InvalidParam],
        msgspec.Meta(description="Each rejected parameter with its reason (400 only)."),
    ] = msgspec.field(default_factory=list)


class BadParametersError(Exception):
    """Raised by the API's parsers: every bad parameter at once, each with its reason."""

    def __init__(self, invalid: list[InvalidParam]) -> None:
        super().__init__(", ".join(item.name for item in invalid))
        self.invalid = invalid


def bad_parameter(name: str, reason: str) -> BadParametersError:
    return BadParametersError([InvalidParam(name, reason)])


def problem_response(problem: Problem, headers: dict[str, str] | None = None) -> Response:
    return Response(
        content=msgspec.json.encode(problem),
        status_code=problem.status,
        media_type=PROBLEM_JSON,
        headers=headers or {},
    )


def _bad_parameters(request: Request, error: BadParametersError) -> Response:
    return problem_response(
        Problem(
            title=_("Ungültige Anfrage"),
            status=400,
            detail=_("Mindestens ein Parameter ist ungültig."),
            invalid_params=error.invalid,
        )
    )


def _validation_failed(request: Request, error: ValidationException) -> Response:
    """Litestar's own parameter checks (types, ranges): its `extra` names each key."""
    extra: Any = error.extra if isinstance(error.extra, list) else []
    invalid = [
        InvalidParam(str(item.get("key", "")), str(item.get("message", "")))
        for item in extra
        if isinstance(item, dict)
    ]
    return problem_response(
        Problem(
            title=_("Ungültige Anfrage"),
            status=400,
            detail=_("Mindestens ein Parameter ist ungültig."),
            invalid_params=invalid,
        )
    )


def not_found_response() -> Response:
    return problem_response(
        Problem(title=_("Nicht gefunden"), status=404, detail=_("Diesen Eintrag gibt es nicht."))
    )


def _not_found(request: Request, error: NotFoundException) -> Response:
    return not_found_response()


KEPT_HEADERS = {
    "allow": "Allow",
    "www-authenticate": "WWW-Authenticate",
    "retry-after": "Retry-After",
}
"""What an error's own headers tell the client (the methods of a 405, the scheme of a 401,
the wait of a 429); Litestar's router spells `allow` in lower case, a route `Allow`."""


def _http_error(request: Request, error: HTTPException) -> Response:
    given = {name.lower(): value for name, value in (error.headers or {}).items()}
    headers = {KEPT_HEADERS[name]: value for name, value in given.items() if name in KEPT_HEADERS}
    return problem_response(
        Problem(title=_("Anfrage abgelehnt"), status=error.status_code, detail=str(error.detail)),
        headers,
    )


def _server_error(request: Request, error: Exception) -> Response:
    log.exception("unhandled API error on %s %s", request.method, request.url.path, exc_info=error)
    return problem_response(
        Problem(title=_("Interner Fehler"), status=500, detail=_("Bitte später erneut versuchen."))
    )


PROBLEM_HANDLERS = {
    BadParametersError: _bad_parameters,
    ValidationException: _validation_failed,
    NotFoundException: _not_found,
    # Named apart: the app's own handlers of these classes (pages) would otherwise be chosen
    # before a router's handler of their base class.
    NotAuthorizedException: _http_error,
    PermissionDeniedException: _http_error,
    TooManyRequestsException: _http_error,
    HTTPException: _http_error,
    Exception: _server_error,
}


def problem_spec(description: str) -> ResponseSpec:
    # No generated examples: Litestar invents random values (a different document each start).
    return ResponseSpec(
        data_container=Problem,
        description=description,
        media_type=PROBLEM_JSON,
        generate_examples=False,
    )


BAD_REQUEST = {400: problem_spec("A query parameter is invalid; `invalid-params` says which.")}
NOT_FOUND = {404: problem_spec("No such published entry (drafts and closed ones included).")}
TOO_MANY = {429: problem_spec("Too many requests from this client; see `Retry-After`.")}
