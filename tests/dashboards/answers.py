"""Questionnaires and answers in the new model for results tests: responses written through
`tally.insert_answers`, exactly as the answering engine stores them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from boerse.lib.db import utcnow, write_transaction
from boerse.opportunities.tables import Opportunity
from boerse.questionnaires.model import (
    VersionPlan,
    dump_options,
    latest_version_id,
    load_plan,
    new_version,
)
from boerse.questionnaires.tables import Answer, Question, Questionnaire, Response, Stop
from boerse.questionnaires.tally import NewAnswer, insert_answers


@dataclass(frozen=True)
class QuestionSpec:
    kind: str
    text: str
    options: tuple[tuple[str, str], ...] = ()
    allow_dont_know: bool = False
    per_stop: bool = False
    page: int = 1


SHORT_FEEDBACK = (
    QuestionSpec("rating", "Wie bewerten Sie das Angebot insgesamt?"),
    QuestionSpec("agreement", "Das Angebot war gut organisiert."),
    QuestionSpec("agreement", "Meine Mitwirkung hat etwas bewirkt."),
    QuestionSpec("agreement", "Ich würde anderen empfehlen mitzumachen."),
    QuestionSpec("long_text", "Möchten Sie uns noch etwas mitteilen?", page=2),
)
StopSpec = tuple[str, float | None, float | None]
"""A stop: name, latitude, longitude."""


async def add_version(
    questionnaire_id: int, questions: Sequence[QuestionSpec], stops: Sequence[StopSpec] = ()
) -> VersionPlan:
    """The questionnaire's next version with these questions and stops."""
    async with write_transaction():
        version_id = await new_version(questionnaire_id, None)
        for position, spec in enumerate(questions):
            await Question(
                version=version_id,
                position=position,
                page=spec.page,
                kind=spec.kind,
                text=spec.text,
                options=dump_options(list(spec.options)),
                allow_dont_know=spec.allow_dont_know,
                per_stop=spec.per_stop,
            ).save()
        for position, (name, latitude, longitude) in enumerate(stops):
            await Stop(
                version=version_id,
                position=position,
                name=name,
                address=f"{name}straße 1",
                latitude=latitude,
                longitude=longitude,
            ).save()
    plan = await load_plan(version_id)
    assert plan is not None
    return plan


async def new_questionnaire(
    organisation_id: int | None,
    *,
    opportunity_id: int | None = None,
    kind: str = "survey",
    title: str = "Kurze Rückmeldung",
    questions: Sequence[QuestionSpec] = SHORT_FEEDBACK,
    stops: Sequence[StopSpec] = (),
) -> VersionPlan:
    """A questionnaire with version 1; returns that version's plan."""
    questionnaire = Questionnaire(
        organisation=organisation_id, opportunity=opportunity_id, kind=kind, title=title
    )
    await questionnaire.save()
    return await add_version(questionnaire.id, questions, stops)


async def respond(
    plan: VersionPlan,
    answers: Sequence[NewAnswer],
    *,
    completed: bool = True,
    opportunity_id: int | None = None,
) -> int:
    """One response to `plan` with these answers, in one write transaction."""
    async with write_transaction():
        inserted = await Response.insert(
            Response(
                questionnaire=plan.questionnaire_id,
                version=plan.version_id,
                opportunity=opportunity_id,
                progress=len(plan.pages) if completed else 1,
                completed=completed,
                submitted_at=utcnow().replace(hour=0, minute=0, second=0, microsecond=0),
            )
        ).returning(Response.id)
        await insert_answers(inserted[0]["id"], answers)
    return inserted[0]["id"]


def choice(question_id: int, value: int | str, stop_id: int | None = None) -> NewAnswer:
    """A scale, checklist or choice answer as stored: the key, and the value of a scale."""
    number = float(value) if str(value).isdigit() else None
    return NewAnswer(question_id, stop_id=stop_id, choice=str(value), number=number)


async def feedback_plan(opportunity: Opportunity) -> VersionPlan:
    """The opportunity's short-feedback questionnaire (made on first use), latest version."""
    row = (
        await Questionnaire.select(Questionnaire.id)
        .where(Questionnaire.opportunity == opportunity.id)
        .first()
    )
    if row is None:
        return await new_questionnaire(
            opportunity.organisation, opportunity_id=opportunity.id, title=opportunity.title
        )
    plan = await load_plan(await latest_version_id(row["id"]) or 0)
    assert plan is not None
    return plan


async def answer_feedback(
    opportunity: Opportunity,
    overall: int = 4,
    organised: int = 4,
    difference: int = 3,
    recommend: int = 4,
    comment: str = "",
) -> int:
    """One completed short-feedback response with these answers (the comment left out when
    empty)."""
    plan = await feedback_plan(opportunity)
    rating, first, second, third, text = (q.id for q in plan.questions)
    answers = [
        choice(rating, overall),
        choice(first, organised),
        choice(second, difference),
        choice(third, recommend),
    ]
    if comment:
        answers.append(NewAnswer(text, text=comment))
    return await respond(plan, answers, opportunity_id=opportunity.id)


async def bulk_respond(plan: VersionPlan, count: int, answers: Sequence[NewAnswer]) -> None:
    """`count` completed responses, each with these answers: multi-row inserts in one
    transaction and one recount of the tallies, for tests that need thousands."""
    from boerse.questionnaires.tally import rebuild_tallies

    day = utcnow().replace(hour=0, minute=0, second=0, microsecond=0)
    async with write_transaction():
        ids: list[int] = []
        for start in range(0, count, 500):
            rows = await Response.insert(
                *(
                    Response(
                        questionnaire=plan.questionnaire_id,
                        version=plan.version_id,
                        progress=len(plan.pages),
                        completed=True,
                        submitted_at=day,
                    )
                    for _ in range(min(500, count - start))
                )
            ).returning(Response.id)
            ids += [row["id"] for row in rows]
        rows = [
            Answer(
                response=response_id,
                question=a.question_id,
                stop=a.stop_id,
                choice=a.choice,
                number=a.number,
                text=a.text,
            )
            for response_id in ids
            for a in answers
        ]
        for start in range(0, len(rows), 500):
            await Answer.insert(*rows[start : start + 500])
        await rebuild_tallies()
