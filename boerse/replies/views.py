"""The context of the replies partial (`replies/_for_results.html`) on other domains'
pages: the officer's questionnaire results page (an opportunity's questionnaire shows that
opportunity's replies, a standalone one its own, a template none) and a goal's public page
(published replies; for those who may reply also the drafts and the link to write one)."""

from __future__ import annotations

from typing import Any

from litestar import Request

from boerse.lib.i18n import gettext as _
from boerse.questionnaires.rules import QuestionnaireHeader
from boerse.replies import rules, services


async def reply_context(request: Request, header: QuestionnaireHeader) -> dict[str, Any]:
    if header.is_template:
        return {"replies": []}
    if header.opportunity_id is not None:
        replies = await services.replies_for_opportunity(
            header.opportunity_id, published_only=False
        )
        url = request.app.route_reverse("replies:new", opportunity_id=header.opportunity_id)
    else:
        replies = await services.replies_for_questionnaire(header.id, published_only=False)
        url = request.app.route_reverse("replies:new_for_questionnaire", questionnaire_id=header.id)
    return {"replies": replies, "reply_new_url": url}


async def goal_reply_context(request: Request, goal_id: int, goal_ids: list[int]) -> dict[str, Any]:
    """`goal_ids`: the goal and the sub-goals its page counts."""
    if not await rules.may_reply_to_goal(request.user, goal_id):
        return {"replies": await services.replies_for_goals(goal_ids)}
    rows = await services.replies_for_goals(goal_ids, published_only=False)
    # A sub-goal's replies are managed from the sub-goal's page (its officers may differ):
    # here its drafts are left out and its published replies link to their public page.
    return {
        "replies": [row for row in rows if row.published or row.goal_id == goal_id],
        "editable_ids": {row.id for row in rows if row.goal_id == goal_id},
        "reply_new_url": request.app.route_reverse("replies:new_for_goal", goal_id=goal_id),
        "reply_new_label": _("Antwort schreiben"),
    }
