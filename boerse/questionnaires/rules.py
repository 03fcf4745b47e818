"""Who may see, edit and read the results of a questionnaire.

An organisation's officers manage its questionnaires (those of its opportunities, its
standalone assessments and its own templates); administrators manage every questionnaire,
town-wide templates included. Every officer may read (and so copy) town-wide and built-in
templates."""

from __future__ import annotations

from dataclasses import dataclass

from litestar.exceptions import NotFoundException, PermissionDeniedException

from boerse.accounts.auth import CurrentUser
from boerse.opportunities.rules import acts_for
from boerse.questionnaires.tables import Questionnaire


@dataclass(frozen=True)
class QuestionnaireHeader:
    """Enough of a questionnaire to decide who may do what with it and to title a page."""

    id: int
    title: str
    kind: str
    organisation_id: int | None
    opportunity_id: int | None
    is_template: bool
    template_key: str | None
    language: str


async def questionnaire_header(questionnaire_id: int) -> QuestionnaireHeader | None:
    row = (
        await Questionnaire.select(
            Questionnaire.id,
            Questionnaire.title,
            Questionnaire.kind,
            Questionnaire.organisation.as_alias("organisation_id"),
            Questionnaire.opportunity.as_alias("opportunity_id"),
            Questionnaire.is_template,
            Questionnaire.template_key,
            Questionnaire.language,
        )
        .where(Questionnaire.id == questionnaire_id)
        .first()
    )
    return QuestionnaireHeader(**row) if row else None


def can_manage(user: CurrentUser | None, header: QuestionnaireHeader) -> bool:
    """Town-wide templates (no organisation) belong to the administrators."""
    if header.organisation_id is None:
        return user is not None and user.is_admin
    return acts_for(user, header.organisation_id)


def can_read(user: CurrentUser | None, header: QuestionnaireHeader) -> bool:
    """Officers read their own questionnaires and every town-wide template (to copy it)."""
    if can_manage(user, header):
        return True
    return (
        header.is_template
        and header.organisation_id is None
        and user is not None
        and user.is_officer
    )


async def access_questionnaire(
    user: CurrentUser | None, questionnaire_id: int, *, manage: bool = False
) -> QuestionnaireHeader:
    """The questionnaire's header; 404 when the person may not even read it, with `manage`
    403 when they may read but not change it (a town-wide template for an officer)."""
    header = await questionnaire_header(questionnaire_id)
    if header is None or not can_read(user, header):
        raise NotFoundException()
    if manage and not can_manage(user, header):
        raise PermissionDeniedException()
    return header


async def access_questionnaire_results(
    user: CurrentUser | None, questionnaire_id: int
) -> QuestionnaireHeader:
    """Detailed results (free texts included) are for those who manage the questionnaire."""
    return await access_questionnaire(user, questionnaire_id, manage=True)
