"""Who may see and manage a standalone assessment.

An organisation's officers manage its assessments, administrators every one. Respondents
never come through here: they reach an assessment by its public slug, and what they may do
is decided by its period and access mode (see `routes`)."""

from __future__ import annotations

from litestar.exceptions import NotFoundException

from boerse.accounts.auth import CurrentUser
from boerse.assessments import services
from boerse.assessments.services import AssessmentRow
from boerse.opportunities.rules import acts_for


def can_create(user: CurrentUser | None) -> bool:
    """An officer needs an organisation to run a campaign in its name; administrators
    choose one."""
    if user is None or not user.is_officer:
        return False
    return user.is_admin or user.organisation_id is not None


def can_manage(user: CurrentUser | None, row: AssessmentRow) -> bool:
    return acts_for(user, row.organisation_id)


async def access_assessment(
    user: CurrentUser | None, assessment_id: int, *, manage: bool = False
) -> AssessmentRow:
    """The assessment for the officers acting for its organisation, else a 404: another
    organisation's campaign is not revealed. Reading (`manage=False`: its page, poster and
    results) and managing (editing, sending links) need the same right today; the flag
    keeps handlers saying which they do, as the other domains' access functions do."""
    row = await services.assessment(assessment_id)
    if row is None or not can_manage(user, row):
        raise NotFoundException()
    return row
