"""Route guards: the few places that decide who may open a page at all."""

from __future__ import annotations

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler


def requires_login(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    if connection.user is None:
        raise NotAuthorizedException()


def requires_officer(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    requires_login(connection, _)
    if not connection.user.is_officer:
        raise PermissionDeniedException()


def requires_admin(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    requires_login(connection, _)
    if not connection.user.is_admin:
        raise PermissionDeniedException()
