"""An opportunity's questionnaire: its own, else a copy of its mode's default template
(the organisation's before the town's), else of the built-in short feedback."""

from __future__ import annotations

import pytest

from boerse.lib.db import write_transaction
from boerse.opportunities.tables import Mode
from boerse.questionnaires.assignment import questionnaire_for_opportunity
from boerse.questionnaires.model import latest_version_id, load_plan
from boerse.questionnaires.tables import Questionnaire
from tests.support.factories import make_opportunity, make_organisation
from tests.surveys.helpers import ensure_short_feedback, make_questionnaire, question


async def assigned(opportunity_id: int) -> int:
    async with write_transaction():
        return await questionnaire_for_opportunity(opportunity_id)


async def texts(questionnaire_id: int) -> list[str]:
    plan = await load_plan(await latest_version_id(questionnaire_id))
    assert plan is not None
    return [q.text for q in plan.questions]


async def test_the_opportunitys_own_questionnaire_wins() -> None:
    await ensure_short_feedback()
    opportunity = await make_opportunity(await make_organisation())
    own = await make_questionnaire([question("rating", "Eigene")], opportunity=opportunity)
    assert await assigned(opportunity.id) == own


async def test_without_one_it_gets_a_copy_of_the_short_feedback_once() -> None:
    template = await ensure_short_feedback()
    organisation = await make_organisation()
    opportunity = await make_opportunity(organisation)
    first = await assigned(opportunity.id)
    assert first != template
    assert await assigned(opportunity.id) == first
    row = await Questionnaire.select().where(Questionnaire.id == first).first()
    assert (row["opportunity"], row["organisation"], row["is_template"]) == (
        opportunity.id,
        organisation.id,
        False,
    )
    assert await texts(first) == await texts(template)


async def test_the_modes_default_template_before_the_fallback() -> None:
    await ensure_short_feedback()
    organisation = await make_organisation()
    other = await make_organisation()
    town = await make_questionnaire(
        [question("agreement", "Stadtweit")], is_template=True, default_for_mode="co_assess"
    )
    await make_questionnaire(
        [question("agreement", "Fremdes Amt")],
        is_template=True,
        default_for_mode="co_assess",
        organisation=other.id,
    )
    assessing = await make_opportunity(organisation, mode=Mode.CO_ASSESS)
    assert await texts(await assigned(assessing.id)) == await texts(town)
    own = await make_questionnaire(
        [question("agreement", "Eigenes Amt")],
        is_template=True,
        default_for_mode="co_assess",
        organisation=organisation.id,
    )
    second = await make_opportunity(organisation, mode=Mode.CO_ASSESS)
    assert await texts(await assigned(second.id)) == await texts(own)
    delivering = await make_opportunity(organisation, mode=Mode.CO_DELIVER)
    assert (await texts(await assigned(delivering.id)))[0].startswith("Wie bewerten")


async def test_unknown_opportunity_is_an_error() -> None:
    await ensure_short_feedback()
    with pytest.raises(LookupError):
        await assigned(999_999)
