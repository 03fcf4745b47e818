"""Who may do what with the widget: anyone may see it (it shows only public offers); staff
build snippets; only administrators decide which websites may embed it."""

from __future__ import annotations

from litestar.exceptions import NotFoundException, PermissionDeniedException

from boerse.accounts.auth import CurrentUser
from boerse.widget import services


def may_build_snippet(user: CurrentUser | None) -> bool:
    """Officers and administrators: they talk to the websites of clubs and the town."""
    return user is not None and user.is_officer


def may_manage_hosts(user: CurrentUser | None) -> bool:
    """Administrators only: an allowed website may frame the town's pages."""
    return user is not None and user.is_admin


def require_snippet_builder(user: CurrentUser | None) -> None:
    if not may_build_snippet(user):
        raise PermissionDeniedException()


def require_host_manager(user: CurrentUser | None) -> None:
    if not may_manage_hosts(user):
        raise PermissionDeniedException()


async def access_host(user: CurrentUser | None, host_id: int) -> services.Host:
    """An allowed website's row for an administrator; 403 for anyone else, 404 when gone."""
    require_host_manager(user)
    host = await services.get_host(host_id)
    if host is None:
        raise NotFoundException()
    return host
