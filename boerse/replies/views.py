"""The context of the replies partial (`replies/_for_results.html`) on the officer's
questionnaire results page: an opportunity's questionnaire shows that opportunity's
replies, a standalone one its own, a template none."""

from __future__ import annotations

from typing import Any

from litestar import Request

from boerse.questionnaires.rules import QuestionnaireHeader
from boerse.replies import services


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
