"""Today's answers moved into the generic model by the questionnaires data migration."""

from __future__ import annotations

import datetime as dt
import importlib
import random
from collections import Counter
from collections.abc import AsyncIterator

import pytest
from piccolo.columns import ForeignKey, Integer, OnDelete, Text, Timestamptz
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from boerse.lib.db import utcnow
from boerse.opportunities.tables import Opportunity
from boerse.questionnaires.catalog import builtin_template_id
from boerse.questionnaires.model import latest_version_id, load_plan
from boerse.questionnaires.tables import (
    Answer,
    AnswerTally,
    Question,
    Questionnaire,
    QuestionnaireVersion,
    Response,
)
from tests.support.factories import make_opportunity, make_organisation

migration = importlib.import_module(
    "boerse.questionnaires.piccolo_migrations.questionnaires_2026_11_30t12_30_00_000000"
)
drop_migration = importlib.import_module(
    "boerse.surveys.piccolo_migrations.surveys_2026_11_30t13_15_00_000000"
)
SCALES = (
    "overall_rating",
    "statement_well_organised",
    "statement_made_difference",
    "statement_would_recommend",
)


class SurveyResponse(Table, tablename="survey_response"):
    """The legacy answer table as the first surveys migration created it. The app no longer
    has it (a later surveys migration drops it), so these tests create it themselves."""

    opportunity = ForeignKey(Opportunity, null=False, on_delete=OnDelete.cascade)
    overall_rating = Integer()
    statement_well_organised = Integer()
    statement_made_difference = Integer()
    statement_would_recommend = Integer()
    comment = Text(default="")
    submitted_at = Timestamptz(default=TimestamptzNow())


@pytest.fixture
async def legacy_table(clean_state: None) -> AsyncIterator[None]:
    """The legacy table for one test, dropped afterwards: the per-test reset only knows the
    app's tables."""
    await SurveyResponse.create_table()
    yield
    await SurveyResponse.alter().drop_table(if_exists=True)


pytestmark = pytest.mark.usefixtures("legacy_table")


async def legacy_rows(opportunity_id: int, count: int, seed: int) -> list[SurveyResponse]:
    rng = random.Random(seed)
    day = utcnow().replace(hour=0, minute=0, second=0, microsecond=0)
    rows = [
        SurveyResponse(
            opportunity=opportunity_id,
            overall_rating=rng.randint(1, 5),
            statement_well_organised=rng.randint(1, 4),
            statement_made_difference=rng.randint(1, 4),
            statement_would_recommend=rng.randint(1, 4),
            comment=rng.choice(["", "", "  ", f"Schön war es ({seed}-{index})."]),
            submitted_at=day - dt.timedelta(days=rng.randint(0, 60)),
        )
        for index in range(count)
    ]
    await SurveyResponse.insert(*rows)
    return rows


async def answers_of(opportunity_id: int) -> dict[int, list[dict]]:
    """The answers of an opportunity's responses, by question position."""
    rows = await Answer.select(
        Answer.question.position.as_alias("position"),
        Answer.choice,
        Answer.number,
        Answer.text,
        Answer.stop,
    ).where(Answer.response.opportunity == opportunity_id)
    by_position: dict[int, list[dict]] = {}
    for row in rows:
        by_position.setdefault(row["position"], []).append(row)
    return by_position


async def test_legacy_rows_become_complete_responses_with_the_same_answers() -> None:
    organisation = await make_organisation()
    first = await make_opportunity(organisation)
    second = await make_opportunity(organisation)
    untouched = await make_opportunity(organisation)
    legacy = {
        first.id: await legacy_rows(first.id, 40, 1),
        second.id: await legacy_rows(second.id, 7, 2),
    }

    assert await migration.move_legacy_answers() == 2

    assert not await Questionnaire.exists().where(Questionnaire.opportunity == untouched.id)
    template = await load_plan(await latest_version_id(await builtin_template_id("short_feedback")))
    for opportunity_id, rows in legacy.items():
        questionnaire = (
            await Questionnaire.objects().where(Questionnaire.opportunity == opportunity_id).first()
        )
        assert not questionnaire.is_template
        assert questionnaire.organisation == organisation.id
        assert questionnaire.template_key is None
        plan = await load_plan(await latest_version_id(questionnaire.id))
        assert plan.number == 1
        assert [q.text for q in plan.questions] == [q.text for q in template.questions]

        responses = await Response.select().where(Response.opportunity == opportunity_id)
        assert len(responses) == len(rows)
        assert all(r["completed"] and r["resume_hash"] is None for r in responses)
        assert {r["version"] for r in responses} == {plan.version_id}
        assert {r["questionnaire"] for r in responses} == {questionnaire.id}
        assert Counter(r["submitted_at"] for r in responses) == Counter(
            row.submitted_at for row in rows
        )

        answers = await answers_of(opportunity_id)
        for position, column in enumerate(SCALES):
            expected = Counter(str(getattr(row, column)) for row in rows)
            assert Counter(a["choice"] for a in answers[position]) == expected, column
            assert sum(a["number"] for a in answers[position]) == sum(
                getattr(row, column) for row in rows
            )
        comments = sorted(row.comment for row in rows if row.comment.strip())
        assert sorted(a["text"] for a in answers.get(4, [])) == comments
        assert all(a["choice"] is None and a["number"] is None for a in answers.get(4, []))
        assert all(a["stop"] is None for rows_ in answers.values() for a in rows_)


async def test_the_tally_counts_the_moved_answers() -> None:
    opportunity = await make_opportunity(await make_organisation())
    rows = await legacy_rows(opportunity.id, 25, 3)

    await migration.move_legacy_answers()

    questionnaire = await Questionnaire.select(Questionnaire.id).where(
        Questionnaire.opportunity == opportunity.id
    )
    overall = (
        await Question.select(Question.id)
        .where(
            (Question.version.questionnaire == questionnaire[0]["id"]) & (Question.position == 0)
        )
        .first()
    )
    tally = await AnswerTally.select().where(AnswerTally.question == overall["id"])
    assert {t["choice"]: t["answers"] for t in tally} == dict(
        Counter(str(row.overall_rating) for row in rows)
    )
    assert {t["choice"]: t["total"] for t in tally} == {
        choice: float(int(choice) * count)
        for choice, count in Counter(str(row.overall_rating) for row in rows).items()
    }


async def test_a_second_run_changes_nothing() -> None:
    opportunity = await make_opportunity(await make_organisation())
    await legacy_rows(opportunity.id, 12, 4)
    assert await migration.move_legacy_answers() == 1
    before = [
        await table.count()
        for table in (Questionnaire, QuestionnaireVersion, Question, Response, Answer)
    ]
    tally = await AnswerTally.select().order_by(AnswerTally.id)

    assert await migration.move_legacy_answers() == 0

    after = [
        await table.count()
        for table in (Questionnaire, QuestionnaireVersion, Question, Response, Answer)
    ]
    assert after == before
    assert await AnswerTally.select().order_by(AnswerTally.id) == tally


async def test_many_opportunities_are_moved_in_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(migration, "OPPORTUNITIES_PER_BATCH", 2)
    organisation = await make_organisation()
    opportunities = [await make_opportunity(organisation) for _ in range(5)]
    total = 0
    for seed, opportunity in enumerate(opportunities):
        total += len(await legacy_rows(opportunity.id, 10 + seed, seed))

    assert await migration.move_legacy_answers() == 5

    assert await Response.count() == total == await SurveyResponse.count()
    assert await Questionnaire.count().where(Questionnaire.opportunity.is_not_null()) == 5
    assert await Answer.count().where(Answer.question.position == 0) == total


async def test_an_opportunity_with_a_questionnaire_gets_the_short_feedback_as_a_new_version() -> (
    None
):
    """Not the case when the migration is deployed; if it were, the officer's questions stay
    as they are and the old answers keep the wording they answered."""
    opportunity = await make_opportunity(await make_organisation())
    await legacy_rows(opportunity.id, 5, 5)
    own = Questionnaire(opportunity=opportunity.id, title="Eigener Bogen")
    await own.save()
    version = QuestionnaireVersion(questionnaire=own.id, number=1)
    await version.save()
    await Question(version=version.id, kind="short_text", text="Eigene Frage").save()

    assert await migration.move_legacy_answers() == 1

    plan = await load_plan(await latest_version_id(own.id))
    assert plan.number == 2
    assert plan.questions[0].text == "Wie bewerten Sie das Angebot insgesamt?"
    assert await Question.count().where(Question.version == version.id) == 1
    assert {r["version"] for r in await Response.select(Response.version)} == {plan.version_id}
    assert await Answer.count().where(Answer.question.position == 0) == 5


async def test_the_surveys_migration_drops_the_legacy_table_and_may_run_twice() -> None:
    opportunity = await make_opportunity(await make_organisation())
    await legacy_rows(opportunity.id, 3, 6)
    await migration.move_legacy_answers()

    await (await drop_migration.forwards()).run()

    assert not await migration.legacy_table_exists()
    assert await Response.count() == 3
    await (await drop_migration.forwards()).run()  # IF EXISTS: an absent table is no error
    assert not await migration.legacy_table_exists()


async def test_without_the_legacy_table_only_the_templates_are_written() -> None:
    """A fresh database: the questionnaires app migrates before the surveys app."""
    await Questionnaire.delete(force=True)
    await SurveyResponse.alter().drop_table()

    assert not await migration.legacy_table_exists()
    assert await migration.move_legacy_answers() == 0

    assert await Questionnaire.count().where(Questionnaire.is_template == True) == 10  # noqa: E712
    assert await Response.count() == 0
