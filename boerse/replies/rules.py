"""Who may see and write replies.

Officers of the opportunity's organisation (administrators for all) write, edit, publish
and change the status of its replies; everybody else sees a reply only once it is
published, and never one of a draft opportunity."""

from __future__ import annotations

from litestar.exceptions import NotFoundException, PermissionDeniedException

from boerse.accounts.auth import CurrentUser
from boerse.opportunities.rules import acts_for
from boerse.replies import services
from boerse.replies.services import ReplyRow


def can_manage(user: CurrentUser | None, row: ReplyRow) -> bool:
    return row.organisation_id is not None and acts_for(user, row.organisation_id)


async def access_reply(
    user: CurrentUser | None, reply_id: int, *, manage: bool = False
) -> ReplyRow:
    """The reply, or 404 when the person may not see it (a draft for the public); with
    `manage` 403 for a reader who may not change it."""
    row = await services.reply_row(reply_id)
    if row is None:
        raise NotFoundException()
    if manage:
        if not can_manage(user, row):
            raise PermissionDeniedException()
        return row
    if not (row.published and await services.target_is_public(row)) and not can_manage(user, row):
        raise NotFoundException()
    return row
