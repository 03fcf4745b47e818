"""Absolute links for mails, feeds and banners, built from route names like every link on
the pages: workers and jobs have no request, so they ask a route table of their own."""

from __future__ import annotations

from functools import cache
from typing import Any

from litestar import Litestar, Router

from boerse.settings import get_settings


@cache
def _route_table() -> Litestar:
    """The application's routes without its middleware, database or settings checks: only
    `route_reverse` is asked of it. `logging_config=None`: Litestar's default would install
    a log handler of its own in the worker, one without the redaction filter."""
    from boerse.routes import route_handlers

    return Litestar(
        route_handlers=[Router(path="/", route_handlers=route_handlers())],
        openapi_config=None,
        logging_config=None,
    )


def site_path(name: str, **path_params: Any) -> str:
    return _route_table().route_reverse(name, **path_params)


def site_url(name: str, **path_params: Any) -> str:
    """`BASE_URL` plus the path of the named route."""
    return f"{get_settings().base_url}{site_path(name, **path_params)}"
