"""Rows for the goal tests: goals, links and an indicator with answers."""

from __future__ import annotations

from boerse.goals.tables import Goal, GoalIndicator, OpportunityGoal
from boerse.lib.db import write_transaction
from boerse.opportunities.tables import Opportunity
from boerse.questionnaires.assignment import questionnaire_for_opportunity
from boerse.questionnaires.tables import Question, QuestionnaireVersion

IMPACT = "Meine Mitwirkung hat etwas bewirkt."


async def make_goal(title: str = "Verbesserung der Berufschancen Jugendlicher", **fields) -> Goal:
    goal = Goal(title=title, **fields)
    await goal.save()
    return goal


async def link(opportunity: Opportunity, goal: Goal) -> None:
    await OpportunityGoal(opportunity=opportunity.id, goal=goal.id).save()


async def questionnaire_of(opportunity: Opportunity) -> int:
    async with write_transaction():
        return await questionnaire_for_opportunity(opportunity.id)


async def impact_question(questionnaire_id: int) -> int:
    row = (
        await Question.select(Question.id)
        .where(
            Question.version.questionnaire == questionnaire_id,
            Question.text == IMPACT,
        )
        .order_by(Question.id, ascending=False)
        .first()
    )
    return row["id"]


async def mark(goal: Goal, question_id: int) -> None:
    await GoalIndicator(goal=goal.id, question=question_id).save()


async def versions(questionnaire_id: int) -> int:
    return await QuestionnaireVersion.count().where(
        QuestionnaireVersion.questionnaire == questionnaire_id
    )
