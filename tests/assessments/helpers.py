"""Assessments for tests: a questionnaire of two pages, the campaign around it, its links."""

from __future__ import annotations

import datetime as dt
from typing import Any

from boerse.accounts.tables import Organisation
from boerse.assessments.services import new_slug
from boerse.assessments.tables import Assessment, AssessmentAccess, AssessmentLink, LinkStatus
from boerse.lib.db import utcnow
from boerse.lib.security import new_token
from tests.surveys.helpers import make_questionnaire, question

PLACES = [("markt", "Marktplatz"), ("park", "Stadtpark"), ("ufer", "Flussufer")]

TWO_PAGES = [
    question("place", "Wo ist Ihr Lieblingsplatz?", options=PLACES, required=True),
    question("rating", "Wie gern sind Sie dort?", required=True),
    question("long_text", "Was macht ihn besonders?", page=2),
]


async def make_assessment(
    organisation: Organisation,
    *,
    title: str = "Zeig uns deinen Lieblingsplatz",
    access: AssessmentAccess = AssessmentAccess.ACCOUNT,
    opened: dt.timedelta = dt.timedelta(days=1),
    closes_in: dt.timedelta = dt.timedelta(days=14),
    questions: list[dict[str, Any]] | None = None,
    description: str = "Welcher Ort in der Stadt ist Ihnen der liebste?",
    kind: str = "survey",
    stops: list[dict[str, Any]] | None = None,
) -> Assessment:
    """An assessment that opened `opened` ago (negative: opens later) and closes in `closes_in`."""
    questionnaire_id = await make_questionnaire(
        TWO_PAGES if questions is None else questions,
        title=title,
        organisation=organisation.id,
        reminder_days="",
        kind=kind,
        stops=stops,
    )
    now = utcnow()
    assessment = Assessment(
        questionnaire=questionnaire_id,
        organisation=organisation.id,
        title=title,
        description=description,
        slug=new_slug(),
        access=access.value,
        opens_at=now - opened,
        closes_at=now + closes_in,
    )
    await assessment.save()
    return assessment


async def make_link(assessment: Assessment, status: LinkStatus = LinkStatus.SENT) -> str:
    """A single-use link as an invitation leaves it; returns its token."""
    token, token_hash = new_token()
    await AssessmentLink(
        assessment=assessment.id, token_hash=token_hash, status=status.value
    ).save()
    return token


async def pages(assessment: Assessment) -> tuple[dict[str, str], dict[str, str]]:
    """Valid answers to the two pages of `TWO_PAGES`, as the form posts them."""
    from boerse.questionnaires.model import latest_version_id, load_plan

    plan = await load_plan(await latest_version_id(assessment.questionnaire))
    field = {q.kind: q.field_name for q in plan.questions}
    first = {"page": "1", field["place"]: "park", field["rating"]: "5"}
    second = {"page": "2", field["long_text"]: "Die alten Bäume am Teich."}
    return first, second
