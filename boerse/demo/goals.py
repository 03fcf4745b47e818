"""The demo town's outcome goals: the Surrey example for young people's job chances and a
dementia-friendly district, the demo opportunities linked to them, and "Meine Mitwirkung
hat etwas bewirkt." marked as an indicator wherever a linked opportunity's questionnaire
asks it, so each goal page shows participation and answers on first start."""

from __future__ import annotations

from itertools import cycle

from boerse.goals.tables import Goal, GoalIndicator, OpportunityGoal
from boerse.lib.db import write_transaction
from boerse.opportunities.tables import Opportunity
from boerse.profiles.tables import FieldOfAction
from boerse.questionnaires.tables import Question

IMPACT = "Meine Mitwirkung hat etwas bewirkt."

TREES: tuple[tuple[str, str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "youth",
        "Verbesserung der Berufschancen Jugendlicher",
        "Junge Menschen in {town} finden einen Ausbildungs- oder Arbeitsplatz, der zu ihnen "
        "passt, und gestalten ihre Stadt mit.",
        (
            "Jugendliche haben die richtigen Fähigkeiten für den Arbeitsmarkt",
            "Jugendliche kennen ihre beruflichen Möglichkeiten",
            "Jugendliche sind aktive Mitglieder der Gesellschaft",
        ),
        ("youth", "education"),
    ),
    (
        "elderly",
        "Ein demenzfreundlicher Stadtteil",
        "Menschen mit Demenz und ihre Angehörigen bewegen sich sicher im Stadtteil und nehmen "
        "am Leben der Nachbarschaft teil.",
        (
            "Menschen mit Demenz finden sich im öffentlichen Raum zurecht",
            "Nachbarschaft, Geschäfte und Dienste wissen, wie sie unterstützen können",
        ),
        ("elderly", "health"),
    ),
)


async def demo_goals(town: str) -> None:
    """One transaction; the opportunities of each tree's fields go round its sub-goals."""
    fields = {row["slug"]: row["id"] for row in await FieldOfAction.select()}
    opportunities = await Opportunity.select(Opportunity.id, Opportunity.field).order_by(
        Opportunity.id
    )
    async with write_transaction():
        links: list[tuple[int, int]] = []
        for position, (field, title, description, subs, linked_fields) in enumerate(TREES):
            main_id = await _insert(
                title, description.replace("{town}", town), None, fields[field], position
            )
            sub_ids = [
                await _insert(sub, "", main_id, fields[field], index)
                for index, sub in enumerate(subs)
            ]
            wanted = {fields[slug] for slug in linked_fields}
            targets = cycle(sub_ids)
            links += [(o["id"], next(targets)) for o in opportunities if o["field"] in wanted]
        if links:
            await OpportunityGoal.insert(
                *(OpportunityGoal(opportunity=o, goal=g) for o, g in links)
            )
        await _mark_indicators(dict(links))


async def _insert(
    title: str, description: str, parent: int | None, field: int, position: int
) -> int:
    rows = await Goal.insert(
        Goal(title=title, description=description, parent=parent, field=field, position=position)
    ).returning(Goal.id)
    return rows[0]["id"]


async def _mark_indicators(goal_of: dict[int, int]) -> None:
    """The impact statement of every version of the linked opportunities' questionnaires."""
    questions = await Question.select(
        Question.id, Question.version.questionnaire.opportunity.as_alias("opportunity_id")
    ).where(
        Question.text == IMPACT,
        Question.version.questionnaire.opportunity.is_in(list(goal_of) or [0]),
    )
    marks = [GoalIndicator(goal=goal_of[q["opportunity_id"]], question=q["id"]) for q in questions]
    if marks:
        await GoalIndicator.insert(*marks)
