"""Redirects built from route names, so a handler never spells out another route's path."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.response import Redirect


def see_other(request: Request, name: str, fragment: str = "", **path_params: Any) -> Redirect:
    """303 to a named route: after a POST the browser fetches the target with GET."""
    path = request.app.route_reverse(name, **path_params)
    return Redirect(f"{path}#{fragment}" if fragment else path, status_code=303)
