"""Who may see and write replies.

Officers of the opportunity's (or standalone questionnaire's) organisation, administrators
for all, write, edit, publish and change the status of its replies. A goal belongs to no
organisation: its replies are managed by administrators and by the officers of every
organisation that serves the goal (or one of its sub-goals) with an opportunity, since they
share its results. Everybody else sees a reply only once it is published, and never one of
a draft opportunity."""

from __future__ import annotations

from litestar.exceptions import NotFoundException, PermissionDeniedException

from boerse.accounts.auth import CurrentUser
from boerse.goals.rules import access_goal
from boerse.goals.services import GoalRow, linked_organisation_ids
from boerse.opportunities.rules import acts_for
from boerse.replies import services
from boerse.replies.services import ReplyRow


async def may_reply_to_goal(user: CurrentUser | None, goal_id: int) -> bool:
    if user is None or not user.is_officer:
        return False
    if user.is_admin:
        return True
    return user.organisation_id in await linked_organisation_ids(goal_id)


async def can_manage(user: CurrentUser | None, row: ReplyRow) -> bool:
    if row.goal_id is not None:
        return await may_reply_to_goal(user, row.goal_id)
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
        if not await can_manage(user, row):
            raise PermissionDeniedException()
        return row
    if not (row.published and await services.target_is_public(row)) and not await can_manage(
        user, row
    ):
        raise NotFoundException()
    return row


async def access_goal_reply(user: CurrentUser | None, goal_id: int) -> GoalRow:
    """The goal a new reply answers: 404 when there is none, 403 for anyone who may not
    reply to it."""
    goal = await access_goal(user, goal_id)
    if not await may_reply_to_goal(user, goal.id):
        raise PermissionDeniedException()
    return goal
