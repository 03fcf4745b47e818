"""Who may write to participants and read the copies: the officers acting for the
opportunity's organisation (administrators for all), the same people who manage its dates."""

from __future__ import annotations

from typing import Any

from litestar.exceptions import NotFoundException, PermissionDeniedException

from boerse.accounts.auth import CurrentUser
from boerse.messages import services
from boerse.messages.services import MessageRow
from boerse.opportunities.rules import access_opportunity, acts_for


async def access_message_compose(user: CurrentUser | None, opportunity_id: int) -> dict[str, Any]:
    """The opportunity a new message is about: 404/403 exactly as for managing it."""
    return await access_opportunity(user, opportunity_id, manage=True)


async def access_message(user: CurrentUser | None, message_id: int) -> MessageRow:
    """A sent message's copy: 404 when there is none, 403 for anyone not acting for the
    opportunity's organisation."""
    row = await services.message_row(message_id)
    if row is None:
        raise NotFoundException()
    if not acts_for(user, row.organisation_id):
        raise PermissionDeniedException()
    return row
