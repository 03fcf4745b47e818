"""Who may do what with outcome goals: administrators keep the hierarchy; officers mark the
indicators of the questionnaires they manage (of their own opportunities); everyone reads
a goal's public page (retired goals included: their figures stay history)."""

from __future__ import annotations

from litestar.exceptions import NotFoundException, PermissionDeniedException

from boerse.accounts.auth import CurrentUser
from boerse.goals import services
from boerse.goals.services import GoalRow
from boerse.questionnaires.rules import QuestionnaireHeader, access_questionnaire


def can_manage_goals(user: CurrentUser | None) -> bool:
    return user is not None and user.is_admin


async def access_goal(user: CurrentUser | None, goal_id: int, *, manage: bool = False) -> GoalRow:
    """The goal, 404 when there is none; with `manage` 403 for anyone but administrators."""
    goal = await services.get_goal(goal_id)
    if goal is None:
        raise NotFoundException()
    if manage and not can_manage_goals(user):
        raise PermissionDeniedException()
    return goal


async def access_indicators(user: CurrentUser | None, questionnaire_id: int) -> QuestionnaireHeader:
    """Indicators belong to an opportunity's questionnaire, marked by those who manage it."""
    header = await access_questionnaire(user, questionnaire_id, manage=True)
    if header.opportunity_id is None:
        raise NotFoundException()
    return header
