"""Copying an offer into a new draft and reopening a closed one, over HTTP."""

from __future__ import annotations

import datetime as dt

from boerse.audit.tables import AuditEntry
from boerse.goals.tables import OpportunityGoal
from boerse.opportunities.tables import (
    Opportunity,
    OpportunitySession,
    OpportunitySkill,
    OpportunityStatus,
    SignUp,
)
from boerse.profiles.tables import Skill
from boerse.questionnaires.model import latest_version_id, load_plan
from boerse.questionnaires.tables import Questionnaire, Response
from boerse.requirements import services as requirement_services
from boerse.requirements.taxonomy import ensure_qualifications
from tests.goals.helpers import link, make_goal
from tests.requirements.helpers import qualification_id
from tests.support.factories import (
    make_officer,
    make_opportunity,
    make_organisation,
    make_session,
    make_user,
    sign_in,
)
from tests.surveys.helpers import make_questionnaire, question


async def test_a_copy_is_a_draft_with_the_content_but_without_dates(client) -> None:
    org = await make_organisation("Seniorenbüro")
    officer = await make_officer(org)
    source = await make_opportunity(
        org,
        title="Vorlesen im Pflegeheim",
        summary="Einmal die Woche vorlesen.",
        languages=["de", "tr"],
        accessibility_features=["wheelchair", "seating"],
        max_companions=3,
        remind_two_hours=True,
        contact_name="Frau Berger",
    )
    skill = await Skill.select(Skill.id).where(Skill.slug == "reading-aloud").first()
    await OpportunitySkill(opportunity=source.id, skill=skill["id"], required=True).save()
    goal = await make_goal()
    await link(source, goal)
    session = await make_session(source)
    await SignUp(session=session.id, user=(await make_user()).id, status="confirmed").save()
    await sign_in(client, officer)

    copied = await client.submit(f"/verwaltung/angebote/{source.id}/kopieren")
    assert copied.status_code == 303
    copy = await Opportunity.objects().where(Opportunity.id != source.id).first()
    assert copied.headers["location"] == f"/verwaltung/angebote/{copy.id}/bearbeiten"
    assert copy.title == "Kopie von Vorlesen im Pflegeheim"
    assert copy.status == OpportunityStatus.DRAFT.value
    assert copy.published_at is None and copy.created_by == officer.id
    assert (copy.summary, copy.languages, copy.field, copy.contact_name) == (
        source.summary,
        ["de", "tr"],
        source.field,
        "Frau Berger",
    )
    assert (copy.accessibility_features, copy.max_companions, copy.remind_two_hours) == (
        ["wheelchair", "seating"],
        3,
        True,
    )
    skills = await OpportunitySkill.select().where(OpportunitySkill.opportunity == copy.id)
    assert [(row["skill"], row["required"]) for row in skills] == [(skill["id"], True)]
    goals = await OpportunityGoal.select().where(OpportunityGoal.opportunity == copy.id)
    assert [row["goal"] for row in goals] == [goal.id]
    assert not await OpportunitySession.exists().where(OpportunitySession.opportunity == copy.id)
    entry = await AuditEntry.objects().where(AuditEntry.action == "opportunity_duplicated").first()
    assert entry.target_id == copy.id

    form = await client.get(copied.headers["location"])
    assert form.status_code == 200
    assert "Kopie von Vorlesen im Pflegeheim" in form.text
    assert "Die Kopie wurde als Entwurf angelegt" in form.text


async def test_another_organisation_cannot_copy_or_reopen(client) -> None:
    source = await make_opportunity(await make_organisation("A"))
    await sign_in(client, await make_officer(await make_organisation("B")))
    assert (await client.submit(f"/verwaltung/angebote/{source.id}/kopieren")).status_code == 403
    assert (
        await client.submit(f"/verwaltung/angebote/{source.id}/wieder-oeffnen")
    ).status_code == 403
    assert await Opportunity.count() == 1


async def test_a_closed_offer_with_upcoming_dates_reopens_published(client) -> None:
    org = await make_organisation("Seniorenbüro")
    offer = await make_opportunity(org, status=OpportunityStatus.CLOSED)
    await make_session(offer, starts_in=dt.timedelta(days=3))
    await sign_in(client, await make_officer(org))
    page = await client.get(f"/verwaltung/angebote/{offer.id}")
    assert "Wieder öffnen" in page.text
    reopened = await client.submit(f"/verwaltung/angebote/{offer.id}/wieder-oeffnen")
    assert reopened.status_code == 303
    row = await Opportunity.objects().where(Opportunity.id == offer.id).first()
    assert row.status == "published"
    assert (await client.get(f"/angebote/{offer.id}")).status_code == 200
    entry = await AuditEntry.objects().where(AuditEntry.action == "opportunity_reopened").first()
    assert (entry.target_id, entry.summary) == (offer.id, "published")


async def test_a_closed_offer_without_upcoming_dates_reopens_as_draft(client) -> None:
    org = await make_organisation("Seniorenbüro")
    offer = await make_opportunity(org, status=OpportunityStatus.CLOSED)
    await make_session(offer, starts_in=-dt.timedelta(days=3))
    await sign_in(client, await make_officer(org))
    reopened = await client.submit(f"/verwaltung/angebote/{offer.id}/wieder-oeffnen")
    assert reopened.status_code == 303
    row = await Opportunity.objects().where(Opportunity.id == offer.id).first()
    assert row.status == "draft"
    page = await client.get(reopened.headers["location"])
    assert "als Entwurf" in page.text


async def test_reopening_an_offer_that_is_not_closed_changes_nothing(client) -> None:
    org = await make_organisation("Seniorenbüro")
    offer = await make_opportunity(org, status=OpportunityStatus.DRAFT)
    await sign_in(client, await make_officer(org))
    again = await client.submit(f"/verwaltung/angebote/{offer.id}/wieder-oeffnen")
    assert again.status_code == 303
    row = await Opportunity.objects().where(Opportunity.id == offer.id).first()
    assert row.status == "draft"
    assert not await AuditEntry.exists().where(AuditEntry.action == "opportunity_reopened")


async def test_a_copy_keeps_the_requirements_and_the_own_questions_but_no_answers(
    client,
) -> None:
    await ensure_qualifications()
    org = await make_organisation("Jugendamt")
    officer = await make_officer(org)
    source = await make_opportunity(org, title="Jugendfreizeit")
    first_aid = await qualification_id("erste-hilfe")
    await requirement_services.set_requirements(
        source.id, {requirement_services.CERTIFICATE, first_aid}
    )
    await make_questionnaire([question("rating", "Wie war die Freizeit?")], opportunity=source)
    await sign_in(client, officer)

    copied = await client.submit(f"/verwaltung/angebote/{source.id}/kopieren")
    assert copied.status_code == 303
    copy = await Opportunity.objects().where(Opportunity.id != source.id).first()
    kinds = {r.kind for r in await requirement_services.requirements_of(copy.id)}
    assert kinds == {requirement_services.CERTIFICATE, first_aid}
    own = (
        await Questionnaire.select(Questionnaire.id, Questionnaire.organisation)
        .where(Questionnaire.opportunity == copy.id)
        .first()
    )
    assert own is not None and own["organisation"] == org.id
    plan = await load_plan(await latest_version_id(own["id"]))
    assert [q.text for q in plan.questions] == ["Wie war die Freizeit?"]
    assert not await Response.exists().where(Response.opportunity == copy.id)
    # The original keeps its own requirements and questionnaire.
    assert len(await requirement_services.requirements_of(source.id)) == 2
    assert await Questionnaire.count().where(Questionnaire.opportunity == source.id) == 1


async def test_a_copy_of_an_offer_without_own_questions_starts_from_the_template(client) -> None:
    org = await make_organisation("Seniorenbüro")
    source = await make_opportunity(org)
    await sign_in(client, await make_officer(org))
    assert (await client.submit(f"/verwaltung/angebote/{source.id}/kopieren")).status_code == 303
    copy = await Opportunity.objects().where(Opportunity.id != source.id).first()
    assert not await Questionnaire.exists().where(Questionnaire.opportunity == copy.id)
    assert await requirement_services.requirements_of(copy.id) == []
