"""The pages: administrators keep the hierarchy (400 with what was typed on bad input),
officers link only their own opportunities and mark indicators, the public pages."""

from __future__ import annotations

from boerse.accounts.tables import Role
from boerse.audit.tables import AuditEntry
from boerse.goals.tables import Goal, GoalIndicator, OpportunityGoal
from tests.goals.helpers import IMPACT, impact_question, link, make_goal, questionnaire_of
from tests.support.factories import (
    make_officer,
    make_opportunity,
    make_organisation,
    make_user,
    sign_in,
)
from tests.surveys.helpers import answer_short_feedback, ensure_short_feedback


async def test_admin_creates_a_goal_and_a_sub_goal(client) -> None:
    await sign_in(client, await make_user(role=Role.ADMIN))
    page = await client.submit(
        "/admin/wirkungsziele/neu",
        {"title": "Verbesserung der Berufschancen Jugendlicher", "position": "0"},
    )
    assert page.status_code == 303
    main = await Goal.objects().where(Goal.parent.is_null()).first()
    page = await client.get(f"/admin/wirkungsziele/neu?parent={main.id}")
    assert f'<option value="{main.id}" selected' in page.text
    await client.submit(
        "/admin/wirkungsziele/neu",
        {"title": "Jugendliche sind aktive Mitglieder der Gesellschaft", "parent": str(main.id)},
    )
    listing = await client.get("/admin/wirkungsziele/")
    assert "Jugendliche sind aktive Mitglieder der Gesellschaft" in listing.text
    assert await AuditEntry.count().where(AuditEntry.action == "goal_saved") == 2

    sub = await Goal.objects().where(Goal.parent == main.id).first()
    await client.submit(f"/admin/wirkungsziele/{sub.id}/stilllegen", {})
    assert (await Goal.objects().where(Goal.id == sub.id).first()).retired


async def test_bad_input_keeps_what_was_typed(client) -> None:
    await sign_in(client, await make_user(role=Role.ADMIN))
    main = await make_goal()
    await make_goal("Unterziel", parent=main.id)
    page = await client.submit(
        "/admin/wirkungsziele/neu",
        {
            "title": "",
            "description": "Was wir erreichen wollen",
            "parent": "99999",
            "position": "x",
        },
    )
    assert page.status_code == 400
    assert "Was wir erreichen wollen" in page.text
    assert 'value="x"' in page.text
    # a main goal with sub-goals cannot become a sub-goal
    other = await make_goal("Anderes Ziel")
    page = await client.submit(
        f"/admin/wirkungsziele/{main.id}", {"title": "Neu", "parent": str(other.id)}
    )
    assert page.status_code == 400
    assert 'value="Neu"' in page.text
    assert await Goal.count() == 3
    assert (await Goal.objects().where(Goal.id == main.id).first()).title != "Neu"


async def test_only_administrators_reach_the_hierarchy(client) -> None:
    goal = await make_goal()
    await sign_in(client, await make_officer(await make_organisation()))
    assert (await client.get("/admin/wirkungsziele/")).status_code == 403
    page = await client.submit(f"/admin/wirkungsziele/{goal.id}", {"title": "Gekapert"})
    assert page.status_code == 403
    assert (await Goal.objects().where(Goal.id == goal.id).first()).title == goal.title


def _opportunity_form(**extra) -> dict:
    return {
        "title": "Bewerbungstraining",
        "summary": "Wir üben Bewerbungsgespräche.",
        "description": "Ehrenamtliche üben mit Jugendlichen.",
        "mode": "co_deliver",
        "field": "youth",
        "is_online": "on",
        "contact_name": "Frau Beispiel",
        "contact_email": "beispiel@example.org",
        **extra,
    }


async def test_officer_links_own_opportunity_to_goals(client) -> None:
    organisation = await make_organisation()
    main = await make_goal()
    sub = await make_goal("Jugendliche haben die richtigen Fähigkeiten", parent=main.id)
    retired = await make_goal("Altes Ziel", retired=True)
    opportunity = await make_opportunity(organisation, outcome_goal="Alter Freitext")
    await sign_in(client, await make_officer(organisation))
    url = f"/verwaltung/angebote/{opportunity.id}/bearbeiten"

    form = await client.get(url)
    assert "Jugendliche haben die richtigen Fähigkeiten" in form.text
    assert "Altes Ziel" not in form.text
    assert "Alter Freitext" not in form.text

    bad = await client.submit(url, _opportunity_form(goals=[str(sub.id), str(retired.id)]))
    assert bad.status_code == 400
    assert 'value="Bewerbungstraining"' in bad.text
    assert await OpportunityGoal.count() == 0

    page = await client.submit(url, _opportunity_form(goals=[str(main.id), str(sub.id)]))
    assert page.status_code == 303
    rows = await OpportunityGoal.select(OpportunityGoal.goal).where(
        OpportunityGoal.opportunity == opportunity.id
    )
    assert sorted(r["goal"] for r in rows) == sorted([main.id, sub.id])
    detail = await client.get(f"/angebote/{opportunity.id}")
    assert f"/wirkungsziele/{sub.id}" in detail.text


async def test_officer_cannot_link_another_organisations_opportunity(client) -> None:
    goal = await make_goal()
    theirs = await make_opportunity(await make_organisation())
    await sign_in(client, await make_officer(await make_organisation()))
    page = await client.submit(
        f"/verwaltung/angebote/{theirs.id}/bearbeiten", _opportunity_form(goals=[str(goal.id)])
    )
    assert page.status_code == 403
    assert await OpportunityGoal.count() == 0


async def test_officer_marks_an_indicator_and_the_goal_page_shows_it(client, count_queries) -> None:
    await ensure_short_feedback()
    organisation = await make_organisation()
    goal = await make_goal(description="Damit Jugendliche eine Lehrstelle finden.")
    opportunity = await make_opportunity(organisation, title="Bewerbungstraining")
    await link(opportunity, goal)
    officer = await make_officer(organisation)
    await sign_in(client, officer)

    redirect = await client.get(f"/verwaltung/angebote/{opportunity.id}/indikatoren")
    assert redirect.status_code == 303
    questionnaire = await questionnaire_of(opportunity)
    question = await impact_question(questionnaire)
    url = f"/verwaltung/frageboegen/{questionnaire}/indikatoren"
    assert IMPACT in (await client.get(url)).text

    other = await make_goal("Fremdes Ziel")
    bad = await client.submit(url, {f"q{question}": str(other.id)})
    assert bad.status_code == 400
    assert await GoalIndicator.count() == 0
    saved = await client.submit(url, {f"q{question}": str(goal.id)})
    assert saved.status_code == 303
    assert await GoalIndicator.count() == 1

    for _ in range(5):
        await answer_short_feedback(opportunity.id, "5", "4", "4")
    with count_queries() as counted:
        page = await client.get(f"/wirkungsziele/{goal.id}")
    assert page.status_code == 200
    assert "Damit Jugendliche eine Lehrstelle finden." in page.text
    assert "Bewerbungstraining" in page.text
    assert IMPACT in page.text
    assert "100 %" in page.text
    for title in ("Zweites Training", "Drittes Training"):
        more = await make_opportunity(organisation, title=title)
        await link(more, goal)
        await GoalIndicator(
            goal=goal.id, question=await impact_question(await questionnaire_of(more))
        ).save()
    with count_queries() as larger:
        page = await client.get(f"/wirkungsziele/{goal.id}")
    assert "Drittes Training" in page.text
    assert larger.count == counted.count
    listing = await client.get("/wirkungsziele/")
    assert goal.title in listing.text


async def test_another_organisations_officer_cannot_mark_indicators(client) -> None:
    await ensure_short_feedback()
    opportunity = await make_opportunity(await make_organisation())
    questionnaire = await questionnaire_of(opportunity)
    await sign_in(client, await make_officer(await make_organisation()))
    url = f"/verwaltung/frageboegen/{questionnaire}/indikatoren"
    assert (await client.get(url)).status_code == 404
    assert (await client.submit(url, {})).status_code == 404


async def test_a_goal_that_does_not_exist_is_404(client) -> None:
    assert (await client.get("/wirkungsziele/4711")).status_code == 404
