"""Who may see and edit an organisation."""

from __future__ import annotations

from typing import Any

from litestar.exceptions import NotFoundException, PermissionDeniedException

from boerse.accounts.auth import CurrentUser
from boerse.organisations import services


def may_edit(user: CurrentUser | None, organisation_id: int) -> bool:
    """Administrators edit every organisation; officers only the one they work for."""
    if user is None or not user.is_officer:
        return False
    return user.is_admin or user.organisation_id == organisation_id


async def access_organisation(
    user: CurrentUser | None, organisation_id: int, *, manage: bool = False
) -> dict[str, Any]:
    """The organisation's row (without the logo's bytes); 404 when there is none, with
    `manage` 403 for anyone who may not edit it. Every organisation's page is public."""
    row = await services.get_organisation(organisation_id)
    if row is None:
        raise NotFoundException()
    if manage and not may_edit(user, organisation_id):
        raise PermissionDeniedException()
    return row
