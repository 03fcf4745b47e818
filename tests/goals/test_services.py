"""Services and rules: the hierarchy, links, indicators across versions, the goal page's
figures with suppression below the minimum group size, and the migration of free texts."""

from __future__ import annotations

import importlib

import pytest
from litestar.exceptions import NotFoundException, PermissionDeniedException

from boerse.accounts.auth import CurrentUser
from boerse.accounts.tables import Role
from boerse.goals import rules, services
from boerse.goals.schemas import GoalInput
from boerse.goals.tables import Goal, GoalIndicator, OpportunityGoal
from boerse.lib.db import write_transaction
from boerse.opportunities.tables import Attendance, OpportunityStatus
from boerse.questionnaires.model import latest_version_id, new_version
from tests.goals.helpers import IMPACT, impact_question, link, make_goal, mark, questionnaire_of
from tests.support.factories import make_officer, make_opportunity, make_organisation, make_user
from tests.surveys.helpers import (
    answer_short_feedback,
    ensure_short_feedback,
    make_signup,
    past_session,
)


def current(user) -> CurrentUser:
    return CurrentUser(
        id=user.id,
        email=user.email,
        display_name="",
        role=user.role,
        organisation_id=user.organisation,
        email_verified=True,
    )


async def test_tree_orders_main_goals_with_their_sub_goals_and_hides_retired() -> None:
    main = await make_goal(position=1)
    second = await services.save_goal(None, GoalInput("Zweites Ziel", "", None, None, 0))
    sub = await services.save_goal(
        None, GoalInput("Jugendliche sind aktive Mitglieder der Gesellschaft", "", main.id, None, 2)
    )
    first_sub = await services.save_goal(
        None, GoalInput("Jugendliche haben die richtigen Fähigkeiten", "", main.id, None, 1)
    )
    tree = await services.goal_tree()
    assert [b.goal.id for b in tree] == [second, main.id]
    assert [s.id for s in tree[1].subs] == [first_sub, sub]

    await services.set_retired(sub, True)
    assert [s.id for s in (await services.goal_tree())[1].subs] == [first_sub]
    everything = await services.goal_tree(include_retired=True)
    assert [s.id for s in everything[1].subs] == [first_sub, sub]
    # a retired goal is offered only to an opportunity that already has it
    offered = dict(await services.link_choices())
    assert [g for g, _t in offered[main.title]] == [main.id, first_sub]
    kept = dict(await services.link_choices([sub]))
    assert sub in [g for g, _t in kept[main.title]]


async def test_only_administrators_manage_goals() -> None:
    goal = await make_goal()
    admin = await make_user(role=Role.ADMIN)
    officer = await make_officer(await make_organisation())
    assert (await rules.access_goal(current(admin), goal.id, manage=True)).id == goal.id
    for user in (current(officer), current(await make_user()), None):
        with pytest.raises(PermissionDeniedException):
            await rules.access_goal(user, goal.id, manage=True)
        assert (await rules.access_goal(user, goal.id)).title == goal.title
    with pytest.raises(NotFoundException):
        await rules.access_goal(current(admin), goal.id + 1000)


async def test_indicators_only_for_questionnaires_the_officer_manages() -> None:
    await ensure_short_feedback()
    mine, theirs = await make_organisation(), await make_organisation()
    questionnaire = await questionnaire_of(await make_opportunity(mine))
    assert (await rules.access_indicators(current(await make_officer(mine)), questionnaire)).id
    with pytest.raises(NotFoundException):
        await rules.access_indicators(current(await make_officer(theirs)), questionnaire)


async def test_indicator_marks_hold_across_versions() -> None:
    """A new version copies the questions: the mark on the old copy counts for the new one,
    and saving moves it onto the latest version's question."""
    await ensure_short_feedback()
    opportunity = await make_opportunity(await make_organisation())
    goal = await make_goal()
    await link(opportunity, goal)
    questionnaire = await questionnaire_of(opportunity)
    old_question = await impact_question(questionnaire)
    await mark(goal, old_question)
    async with write_transaction():
        await new_version(questionnaire, await latest_version_id(questionnaire))
    new_question = await impact_question(questionnaire)
    assert new_question != old_question

    form = {q.text: q for q in await services.indicator_form(questionnaire)}
    assert form[IMPACT].id == new_question
    assert form[IMPACT].goal_ids == [goal.id]
    assert "Möchten Sie uns noch etwas mitteilen?" not in form  # free text: no indicator

    await services.save_indicators(questionnaire, {new_question: [goal.id]})
    rows = await GoalIndicator.select(GoalIndicator.question).where(GoalIndicator.goal == goal.id)
    assert [r["question"] for r in rows] == [new_question]


async def test_goal_page_counts_people_hours_and_agreement_and_withholds_small_groups() -> None:
    await ensure_short_feedback()
    organisation = await make_organisation()
    main = await make_goal()
    sub = await make_goal("Jugendliche haben die richtigen Fähigkeiten", parent=main.id)
    published = await make_opportunity(organisation, title="Bewerbungstraining")
    draft = await make_opportunity(organisation, OpportunityStatus.DRAFT, title="Entwurf")
    await link(published, sub)
    await link(draft, sub)
    session = await past_session(published)
    for hours in (2.0, 3.0, 1.5):
        await make_signup(session, attendance=Attendance.ATTENDED.value, hours=hours)
    await make_signup(session, attendance=Attendance.ABSENT.value, hours=None)
    questionnaire = await questionnaire_of(published)
    await mark(sub, await impact_question(questionnaire))
    # statement 3 (position 2): 4 = ++, 3 = +, 2 = −; "weiß nicht" is not asked here
    for impact in ("4", "4", "3", "2"):
        await answer_short_feedback(published.id, "5", "4", impact)

    page = await services.goal_page(sub.id, min_answers=3)
    assert page.parent.id == main.id
    assert [o.title for o in page.opportunities] == ["Bewerbungstraining"]
    assert page.participants == 3
    assert page.hours == pytest.approx(6.5)
    [indicator] = page.indicators
    assert indicator.text == IMPACT and indicator.is_share
    [month] = indicator.months
    assert month.answers == 4
    assert month.value == pytest.approx(0.75)
    [bar] = indicator.bars  # drawn against 100 % in a 100 × 50 chart
    assert bar.height == pytest.approx(37.5) and bar.y == pytest.approx(12.5)

    # the main goal counts its sub-goals
    main_page = await services.goal_page(main.id, min_answers=3)
    assert [s.id for s in main_page.subs] == [sub.id]
    assert main_page.indicators[0].months[0].value == pytest.approx(0.75)

    withheld = await services.goal_page(sub.id, min_answers=5)
    assert withheld.participants is None and withheld.hours is None
    assert withheld.indicators[0].months[0].value is None
    assert withheld.indicators[0].bars == [] and withheld.indicators[0].shown == []


async def test_migration_turns_free_texts_into_linked_goals() -> None:
    organisation = await make_organisation()
    a = await make_opportunity(organisation, outcome_goal="Mehr Grün  in den Wohnvierteln")
    b = await make_opportunity(organisation, outcome_goal="Mehr Grün in den Wohnvierteln")
    c = await make_opportunity(
        organisation, field="youth", outcome_goal="Mehr Grün in den Wohnvierteln"
    )
    await make_opportunity(organisation, outcome_goal="  ")
    migration = importlib.import_module(
        "boerse.goals.piccolo_migrations.goals_2026_11_30t14_00_53_000000"
    )
    await OpportunityGoal.delete(force=True)
    await Goal.delete(force=True)

    await migration.migrate_free_texts()

    goals = await Goal.select(Goal.id, Goal.title, Goal.field, Goal.parent)
    assert sorted(g["title"] for g in goals) == ["Mehr Grün in den Wohnvierteln"] * 2
    assert all(g["parent"] is None for g in goals)
    links = await OpportunityGoal.select(OpportunityGoal.opportunity, OpportunityGoal.goal)
    goal_of = {row["opportunity"]: row["goal"] for row in links}
    assert set(goal_of) == {a.id, b.id, c.id}
    assert goal_of[a.id] == goal_of[b.id] != goal_of[c.id]
    field_of = {g["id"]: g["field"] for g in goals}
    assert field_of[goal_of[a.id]] == a.field and field_of[goal_of[c.id]] == c.field


def test_a_main_goal_minus_a_published_sub_goal_never_leaves_a_small_group() -> None:
    assert services.participation_withheld(4, [], 5)
    assert not services.participation_withheld(8, [8], 5)  # the same people: nothing to learn
    assert services.participation_withheld(8, [6], 5)  # 8 − 6 = 2 people elsewhere
    assert not services.participation_withheld(8, [3], 5)  # the sub-goal is withheld itself
    assert not services.participation_withheld(12, [6, 7], 5)


async def test_goal_page_withholds_a_main_goal_that_would_reveal_two_people() -> None:
    organisation = await make_organisation()
    main = await make_goal()
    sub = await make_goal("Jugendliche haben die richtigen Fähigkeiten", parent=main.id)
    training = await make_opportunity(organisation, title="Bewerbungstraining")
    council = await make_opportunity(organisation, title="Jugendrat")
    await link(training, sub)
    await link(council, main)
    for opportunity, people in ((training, 6), (council, 2)):
        session = await past_session(opportunity)
        for _ in range(people):
            await make_signup(session, attendance=Attendance.ATTENDED.value, hours=1.0)

    assert (await services.goal_page(sub.id, min_answers=5)).participants == 6
    main_page = await services.goal_page(main.id, min_answers=5)
    assert main_page.participants is None and main_page.hours is None
    assert (await services.goal_page(main.id, min_answers=2)).participants == 8
