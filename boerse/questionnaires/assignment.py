"""Which questionnaire an opportunity's participants answer.

An opportunity whose officers built nothing gets its own copy of a template the first time
it is needed (its survey goes out, or the builder opens it): the template its organisation
or the town marked as the default for its mode, else the built-in short feedback. A copy,
not the template itself, so that editing the template later never changes the wording of
answers already given."""

from __future__ import annotations

from boerse.opportunities.tables import Opportunity
from boerse.questionnaires.model import copy_questionnaire
from boerse.questionnaires.tables import Questionnaire

FALLBACK_TEMPLATE_KEY = "short_feedback"
FALLBACK_LANGUAGE = "de"


async def _own_questionnaire(opportunity_id: int) -> int | None:
    row = (
        await Questionnaire.select(Questionnaire.id)
        .where(Questionnaire.opportunity == opportunity_id)
        .first()
    )
    return row["id"] if row else None


async def _template_for(organisation_id: int, mode: str) -> int | None:
    """The mode's default template: the organisation's own before the town's, then the
    built-in short feedback."""
    rows = await Questionnaire.select(Questionnaire.id, Questionnaire.organisation).where(
        Questionnaire.is_template.eq(True),
        Questionnaire.default_for_mode == mode,
        Questionnaire.organisation.is_null() | (Questionnaire.organisation == organisation_id),
    )
    own = [r["id"] for r in rows if r["organisation"] == organisation_id]
    town = [r["id"] for r in rows if r["organisation"] is None]
    if own or town:
        return min(own) if own else min(town)
    fallback = (
        await Questionnaire.select(Questionnaire.id)
        .where(
            Questionnaire.is_template.eq(True),
            Questionnaire.template_key == FALLBACK_TEMPLATE_KEY,
            Questionnaire.language == FALLBACK_LANGUAGE,
        )
        .order_by(Questionnaire.id)
        .first()
    )
    return fallback["id"] if fallback else None


async def questionnaire_for_opportunity(opportunity_id: int) -> int:
    """The opportunity's questionnaire, created from its template on first use. Inside a
    write transaction (the copy and the lookup must not be split by another writer)."""
    own = await _own_questionnaire(opportunity_id)
    if own is not None:
        return own
    opportunity = (
        await Opportunity.select(Opportunity.organisation, Opportunity.mode)
        .where(Opportunity.id == opportunity_id)
        .first()
    )
    if opportunity is None:
        raise LookupError(f"opportunity {opportunity_id} does not exist")
    template_id = await _template_for(opportunity["organisation"], opportunity["mode"])
    if template_id is None:
        raise LookupError(f"no template {FALLBACK_TEMPLATE_KEY!r} to start from")
    return await copy_questionnaire(
        template_id,
        organisation_id=opportunity["organisation"],
        opportunity_id=opportunity_id,
    )


async def copy_to_opportunity(source_opportunity_id: int, target_opportunity_id: int) -> None:
    """When an offer is copied: the questions its officers built go with it (the latest
    version, as a new questionnaire of the copy, without answers). An offer that never had
    its own gets none, so the copy starts from its mode's template like any new offer.
    Inside the copy's write transaction."""
    own = await _own_questionnaire(source_opportunity_id)
    if own is None:
        return
    target = (
        await Opportunity.select(Opportunity.organisation)
        .where(Opportunity.id == target_opportunity_id)
        .first()
    )
    if target is None:
        raise LookupError(f"opportunity {target_opportunity_id} does not exist")
    await copy_questionnaire(
        own, organisation_id=target["organisation"], opportunity_id=target_opportunity_id
    )
