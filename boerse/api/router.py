"""The API's router: every controller under /api/v1/, its errors as problem details, its
rate limit, and the headers every API response carries (CORS, rate-limit state).

To add controllers (e.g. the partners' write endpoints), list their module in
`CONTROLLER_MODULES`; each module exports `CONTROLLERS` like the page modules do. Handlers
get `include_in_schema` from the router (on), the page router sets it off, so the OpenAPI
document describes this API only."""

from __future__ import annotations

import functools
import importlib

from litestar import Litestar, Request, Response, Router
from litestar.datastructures import MutableScopeHeaders, ResponseHeader
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin, YamlRenderPlugin
from litestar.openapi.spec import Components
from litestar.routes import HTTPRoute
from litestar.types import Message, Scope

from boerse.api.problems import PROBLEM_HANDLERS, Problem, not_found_response, problem_response
from boerse.api.ratelimit import count_request
from boerse.lib.errors import refuse_impossible_ids
from boerse.lib.i18n import gettext as _
from boerse.partners.auth import SECURITY_SCHEMES
from boerse.settings import get_settings

API_PATH = "/api/v1"
CONTROLLER_MODULES = ("boerse.api.routes", "boerse.partners.api_routes")

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Accept-Language, If-None-Match",
    "Access-Control-Expose-Headers": (
        "ETag, Link, Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset"
    ),
    "Access-Control-Max-Age": "86400",
}
"""Any web page may read the public data from a browser; no credentials (no cookie is
read, `Allow-Credentials` is never sent)."""

_STATE_KEY = "api_allowance"

DOCUMENTED_HEADERS = [
    # `value` is never sent (documentation only); it gives the header its string schema.
    ResponseHeader(name=name, value="", documentation_only=True, description=description)
    for name, description in (
        ("RateLimit-Limit", "Requests this client may make per window (a minute)."),
        ("RateLimit-Remaining", "Requests left in the current window."),
        ("RateLimit-Reset", "Seconds until the window starts anew."),
        (
            "ETag",
            "Weak validator of the body (requests without cookies or credentials); send it"
            " back as `If-None-Match` for a 304.",
        ),
    )
]
"""Set by `api_headers` and the caching middleware, not by the handlers: listed here so that
the OpenAPI document describes them on every operation."""


async def _before_api_request(request: Request) -> Response | None:
    """The app's id check (a router's hook replaces the app's), then the rate limit."""
    await refuse_impossible_ids(request)
    if request.method == "OPTIONS":
        return None
    client = request.client.host if request.client else ""
    allowance = await count_request(client, get_settings().api_requests_per_minute)
    request.scope["state"][_STATE_KEY] = allowance
    if allowance.exceeded:
        return problem_response(
            Problem(
                title=_("Zu viele Anfragen"),
                status=429,
                detail=_("Bitte warten Sie, bevor Sie weitere Anfragen stellen."),
            ),
            {"Retry-After": str(allowance.reset_seconds)},
        )
    return None


async def _not_found_as_problem(response: Response) -> Response:
    """Litestar's OpenAPI router answers an unknown address beside the documents
    (`/api/v1/xyz`) with an HTML page of its own; the API answers it as everywhere else."""
    return not_found_response() if response.status_code == 404 else response


@functools.cache
def _allowed_methods(app: Litestar) -> dict[str, str]:
    """Each path's methods, for the `Allow` of an OPTIONS answer. Litestar's own OPTIONS
    handler keeps the methods of the route as it was when the handler was made, before the
    path's other handlers joined it (so `/partner/opportunities` said POST but not GET)."""
    return {
        route.path_format: ", ".join(sorted(route.methods))
        for route in app.routes
        if isinstance(route, HTTPRoute)
    }


async def api_headers(message: Message, scope: Scope) -> None:
    """`before_send` hook of the app: CORS and the rate-limit state on every response under
    the API's path, errors and the OpenAPI document included."""
    if message["type"] != "http.response.start" or not scope["path"].startswith(f"{API_PATH}/"):
        return
    headers = MutableScopeHeaders.from_message(message)
    for name, value in CORS_HEADERS.items():
        headers[name] = value
    if scope.get("method") == "OPTIONS" and "allow" in headers:
        allowed = _allowed_methods(scope["litestar_app"]).get(scope.get("path_template", ""))
        if allowed:
            headers["Allow"] = allowed
    allowance = scope.get("state", {}).get(_STATE_KEY)
    if allowance is not None:
        headers["RateLimit-Limit"] = str(allowance.limit)
        headers["RateLimit-Remaining"] = str(max(allowance.remaining, 0))
        headers["RateLimit-Reset"] = str(allowance.reset_seconds)


def api_router() -> Router:
    handlers = []
    for name in CONTROLLER_MODULES:
        handlers.extend(importlib.import_module(name).CONTROLLERS)
    return Router(
        path=API_PATH,
        route_handlers=handlers,
        exception_handlers=PROBLEM_HANDLERS,
        before_request=_before_api_request,
        # Clients authenticate by no cookie (public reads) or by an API key header (partners):
        # a forged cross-site request carries neither, so the CSRF token is not asked for.
        opt={"exclude_from_csrf": True},
        include_in_schema=True,
        response_headers=DOCUMENTED_HEADERS,
    )


def openapi_config() -> OpenAPIConfig:
    """Litestar's own OpenAPI 3.1 document of the routes above (the pages are left out by
    their router), served as `/api/v1/openapi.json` and `/api/v1/openapi.yaml`. No UI
    plugin: Litestar's load their scripts from a CDN, which the pages' CSP forbids."""
    settings = get_settings()
    return OpenAPIConfig(
        title=f"Mitmach-Börse {settings.town_name}",
        version="1.0.0",
        description=DESCRIPTION,
        # Its own router at the API's path, so that the document sets no CSRF cookie either.
        openapi_router=Router(
            path=API_PATH,
            route_handlers=[],
            include_in_schema=False,
            opt={"exclude_from_csrf": True},
            after_request=_not_found_as_problem,
        ),
        render_plugins=[JsonRenderPlugin(), YamlRenderPlugin()],
        use_handler_docstrings=True,
        create_examples=False,
        components=Components(security_schemes=SECURITY_SCHEMES),
    )


DESCRIPTION = """\
Public read API of the Mitmach-Börse: published opportunities to co-produce public services,
their dates with free places, organisations, fields of action, skills and the town's
public results (small groups withheld).

- Ids are stable integers; times are ISO 8601 with offset.
- Lists are paged by an opaque `cursor`; follow `next` (also in the `Link` header).
- Responses carry a weak `ETag`; send it back as `If-None-Match` for a `304`.
- CORS is open for reading (`Access-Control-Allow-Origin: *`, no credentials).
- Requests are limited per client and minute (`RateLimit-*` headers; `429` with
  `Retry-After` beyond it).
- Errors are RFC 9457 problem details (`application/problem+json`).
- No personal data: no contact persons, no sign-ups; drafts and closed offers never.
"""
