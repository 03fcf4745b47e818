"""The answering engine: every kind validated, pages stored once and in order, tallies kept,
and a finished response that cannot be joined to the link that made it."""

from __future__ import annotations

from typing import Any

import pytest

from boerse.lib.forms import Form
from boerse.lib.security import hash_token, new_token
from boerse.lib.templating import environment
from boerse.questionnaires.answering import (
    SaveOutcome,
    account_key,
    parse_page,
    response_progress,
    resume_hash,
    save_page,
)
from boerse.questionnaires.kinds import LONG_TEXT_MAX_LENGTH, SHORT_TEXT_MAX_LENGTH
from boerse.questionnaires.model import VersionPlan, latest_version_id, load_plan
from boerse.questionnaires.tables import Answer, AnswerTally, Response
from boerse.questionnaires.tally import NewAnswer
from tests.surveys.helpers import make_questionnaire, question

CHOICES = [("bus", "Bus"), ("rad", "Fahrrad"), ("fuss", "zu Fuß")]

ALL_KINDS = [
    question("agreement", "Die Wege sind gut beschildert.", required=True, allow_dont_know=True),
    question("rating", "Wie bewerten Sie den Platz?", required=True),
    question("single_choice", "Wie sind Sie gekommen?", options=CHOICES, required=True),
    question("multiple_choice", "Was nutzen Sie?", options=CHOICES),
    question("checklist", "Gibt es eine Toilette?", required=True),
    question("number", "Wie viele Bänke?", min_value=0, max_value=50, help="Zählen Sie nach."),
    question("short_text", "Ein Wort dazu"),
    question("long_text", "Was fehlt?", page=2),
    question("place", "Wo ist es am schönsten?", page=2, options=CHOICES),
]

VALID = {
    "agreement": "4",
    "rating": "5",
    "single_choice": "rad",
    "multiple_choice": ["bus", "fuss"],
    "checklist": "na",
    "number": "12,5",
    "short_text": "schön",
}


async def survey_plan(questions: list[dict[str, Any]] | None = None, **kw: Any) -> VersionPlan:
    questionnaire_id = await make_questionnaire(questions or ALL_KINDS, **kw)
    plan = await load_plan(await latest_version_id(questionnaire_id))
    assert plan is not None
    return plan


def form_for(plan: VersionPlan, by_kind: dict[str, Any], page: int = 1) -> Form:
    values: dict[str, Any] = {}
    for q in plan.pages[page - 1].questions:
        if q.kind in by_kind:
            values[q.field_name] = by_kind[q.kind]
    return Form(values=values)


def field_of(plan: VersionPlan, kind: str) -> str:
    return next(q.field_name for q in plan.questions if q.kind == kind)


async def test_valid_page_gives_one_answer_per_question_and_option() -> None:
    plan = await survey_plan()
    answers = parse_page(plan, plan.pages[0], form_for(plan, VALID))
    assert answers is not None
    by_question = {(a.question_id, a.choice): a for a in answers}
    ids = {q.kind: q.id for q in plan.questions}
    assert by_question[(ids["agreement"], "4")].number == 4
    assert by_question[(ids["rating"], "5")].number == 5
    assert (ids["single_choice"], "rad") in by_question
    assert {a.choice for a in answers if a.question_id == ids["multiple_choice"]} == {"bus", "fuss"}
    assert by_question[(ids["checklist"], "na")].number is None
    assert by_question[(ids["number"], None)].number == 12.5
    assert by_question[(ids["short_text"], None)].text == "schön"


async def test_dont_know_counts_without_a_score() -> None:
    plan = await survey_plan()
    answers = parse_page(plan, plan.pages[0], form_for(plan, {**VALID, "agreement": "dont_know"}))
    assert answers is not None
    dont_know = next(a for a in answers if a.choice == "dont_know")
    assert dont_know.number is None


async def test_optional_questions_may_stay_empty() -> None:
    plan = await survey_plan()
    only_required = {k: VALID[k] for k in ("agreement", "rating", "single_choice", "checklist")}
    answers = parse_page(plan, plan.pages[0], form_for(plan, only_required))
    assert answers is not None
    assert len(answers) == 4


@pytest.mark.parametrize("kind", ["agreement", "rating", "single_choice", "checklist"])
async def test_missing_required_answer_is_an_error_on_its_field(kind: str) -> None:
    plan = await survey_plan()
    values = {k: v for k, v in VALID.items() if k != kind}
    form = form_for(plan, values)
    assert parse_page(plan, plan.pages[0], form) is None
    assert set(form.errors) == {field_of(plan, kind)}
    assert form.values[field_of(plan, "short_text")] == "schön"


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("agreement", "5"),
        ("rating", "0"),
        ("single_choice", "auto"),
        ("multiple_choice", ["bus", "taxi"]),
        ("checklist", "vielleicht"),
        ("rating", "dont_know"),
    ],
)
async def test_option_not_offered_is_refused(kind: str, value: Any) -> None:
    plan = await survey_plan()
    form = form_for(plan, {**VALID, kind: value})
    assert parse_page(plan, plan.pages[0], form) is None
    assert "angebotenen" in form.errors[field_of(plan, kind)]


async def test_required_multiple_choice_needs_one_option() -> None:
    plan = await survey_plan([question("multiple_choice", "Was?", options=CHOICES, required=True)])
    form = Form(values={})
    assert parse_page(plan, plan.pages[0], form) is None
    assert "mindestens eine" in form.errors[plan.questions[0].field_name]


@pytest.mark.parametrize(
    ("value", "message"),
    [("51", "von 0 bis 50"), ("-1", "von 0 bis 50"), ("zwölf", "Zahl"), ("nan", "Zahl")],
)
async def test_number_out_of_range_or_not_a_number(value: str, message: str) -> None:
    plan = await survey_plan()
    form = form_for(plan, {**VALID, "number": value})
    assert parse_page(plan, plan.pages[0], form) is None
    assert message in form.errors[field_of(plan, "number")]
    assert form.values[field_of(plan, "number")] == value


@pytest.mark.parametrize(
    ("kind", "limit"), [("short_text", SHORT_TEXT_MAX_LENGTH), ("long_text", LONG_TEXT_MAX_LENGTH)]
)
async def test_too_long_text_is_refused(kind: str, limit: int) -> None:
    plan = await survey_plan([question(kind, "Text", required=True)])
    name = plan.questions[0].field_name
    form = Form(values={name: "x" * (limit + 1)})
    assert parse_page(plan, plan.pages[0], form) is None
    assert str(limit) in form.errors[name]
    ok = Form(values={name: "x" * limit})
    assert parse_page(plan, plan.pages[0], ok) == [
        NewAnswer(plan.questions[0].id, text="x" * limit)
    ]


async def walk_plan() -> VersionPlan:
    return await survey_plan(
        [
            question("checklist", "Gibt es Sitzplätze?", required=True, per_stop=True),
            question("place", "Wo fehlt etwas?", per_stop=True),
            question("long_text", "Was sonst?"),
        ],
        kind="walk_audit",
        stops=[
            {"name": "Marktplatz", "address": "Markt 1", "latitude": 51.34, "longitude": 12.37},
            {"name": "Bahnhof", "address": "Bahnhofstr. 2"},
            {"name": "Park"},
        ],
    )


async def test_walk_audit_answers_carry_their_stop_and_place_its_point() -> None:
    plan = await walk_plan()
    assert [p.stop.name if p.stop else None for p in plan.pages] == [
        "Marktplatz",
        "Bahnhof",
        "Park",
        None,
    ]
    checklist, place, _text = plan.questions
    market = plan.stops[0]
    form = Form(values={checklist.field_name: "no", place.field_name: str(market.id)})
    answers = parse_page(plan, plan.pages[1], form)
    assert answers is not None
    assert {a.stop_id for a in answers} == {plan.stops[1].id}
    chosen = next(a for a in answers if a.question_id == place.id)
    assert (chosen.choice, chosen.latitude, chosen.longitude) == (str(market.id), 51.34, 12.37)


async def test_place_described_in_words() -> None:
    plan = await walk_plan()
    place = plan.questions[1]
    form = Form(
        values={plan.questions[0].field_name: "yes", place.field_name + "_text": "Bank am Teich"}
    )
    answers = parse_page(plan, plan.pages[0], form)
    assert answers is not None
    described = next(a for a in answers if a.question_id == place.id)
    assert (described.choice, described.text) == (None, "Bank am Teich")


async def test_a_stop_not_in_the_audit_is_refused() -> None:
    plan = await walk_plan()
    other = await walk_plan()
    place = plan.questions[1]
    form = Form(
        values={plan.questions[0].field_name: "yes", place.field_name: str(other.stops[0].id)}
    )
    assert parse_page(plan, plan.pages[0], form) is None
    assert place.field_name in form.errors


async def test_required_place_needs_a_stop_or_a_description() -> None:
    plan = await survey_plan([question("place", "Wo?", required=True, options=CHOICES)])
    name = plan.questions[0].field_name
    form = Form(values={})
    assert parse_page(plan, plan.pages[0], form) is None
    assert "beschreiben" in form.errors[name]
    assert parse_page(plan, plan.pages[0], Form(values={name: "bus"})) is not None


def test_resume_hash_and_account_key() -> None:
    token, token_hash = new_token()
    assert len(resume_hash(token)) == 64
    assert resume_hash(token) != token_hash
    assert resume_hash(token) == resume_hash(token)
    assert account_key(3, "assessment:1") != account_key(4, "assessment:1")


async def answer_all(plan: VersionPlan, key: str, **kw: Any) -> list[SaveOutcome]:
    outcomes = []
    for page in plan.pages:
        form = form_for(plan, VALID, page.number)
        answers = parse_page(plan, page, form)
        assert answers is not None, form.errors
        outcomes.append(
            await save_page(
                key=key,
                plan=plan,
                page_number=page.number,
                answers=answers,
                opportunity_id=None,
                **kw,
            )
        )
    return outcomes


async def test_pages_in_order_complete_the_response_and_forget_the_key() -> None:
    plan = await survey_plan()
    token, _hash = new_token()
    first = parse_page(plan, plan.pages[0], form_for(plan, VALID))
    assert first is not None
    assert (
        await save_page(key=token, plan=plan, page_number=1, answers=first, opportunity_id=None)
        is SaveOutcome.SAVED
    )
    progress = await response_progress(token)
    assert progress is not None
    assert (progress.version_id, progress.progress, progress.completed) == (
        plan.version_id,
        1,
        False,
    )
    assert (
        await save_page(key=token, plan=plan, page_number=2, answers=[], opportunity_id=None)
        is SaveOutcome.COMPLETED
    )
    assert await response_progress(token) is None
    row = await Response.select().first()
    assert row["completed"] and row["resume_hash"] is None and row["progress"] == 2


async def test_page_saved_twice_or_out_of_order_stores_nothing() -> None:
    plan = await survey_plan()
    token, _hash = new_token()
    answers = parse_page(plan, plan.pages[0], form_for(plan, VALID))
    assert answers is not None
    skip = await save_page(key=token, plan=plan, page_number=2, answers=[], opportunity_id=None)
    assert skip is SaveOutcome.REFUSED
    assert await Response.count() == 0
    assert (
        await save_page(key=token, plan=plan, page_number=1, answers=answers, opportunity_id=None)
    ).stored
    count = await Answer.count()
    again = await save_page(
        key=token, plan=plan, page_number=1, answers=answers, opportunity_id=None
    )
    assert again is SaveOutcome.REFUSED
    assert await Answer.count() == count
    beyond = await save_page(key=token, plan=plan, page_number=3, answers=[], opportunity_id=None)
    assert beyond is SaveOutcome.REFUSED
    assert (await response_progress(token)).progress == 1


async def test_a_veto_on_completion_rolls_the_last_page_back() -> None:
    plan = await survey_plan()
    token, _hash = new_token()

    async def veto() -> bool:
        return False

    outcomes = await answer_all(plan, token, on_complete=veto)
    assert outcomes == [SaveOutcome.SAVED, SaveOutcome.VETOED]
    progress = await response_progress(token)
    assert progress is not None and progress.progress == 1
    assert not await Answer.exists().where(Answer.question == plan.pages[1].questions[0].id)


async def test_tallies_count_each_option_and_sum_the_scores() -> None:
    plan = await survey_plan()
    for _ in range(3):
        token, _hash = new_token()
        assert (await answer_all(plan, token))[-1] is SaveOutcome.COMPLETED
    ids = {q.kind: q.id for q in plan.questions}
    tallies = {
        (row["question"], row["choice"]): (row["answers"], row["total"])
        for row in await AnswerTally.select()
    }
    assert tallies[(ids["rating"], "5")] == (3, 15.0)
    assert tallies[(ids["agreement"], "4")] == (3, 12.0)
    assert tallies[(ids["multiple_choice"], "bus")] == (3, 0.0)
    assert tallies[(ids["number"], "")] == (3, 37.5)
    assert await Response.count() == 3


async def test_a_finished_response_holds_nothing_that_joins_it_to_the_link() -> None:
    plan = await survey_plan()
    token, token_hash = new_token()
    await answer_all(plan, token)
    row = await Response.select().first()
    values = {str(value) for value in row.values()}
    assert token not in values and token_hash not in values and hash_token(token) not in values
    assert resume_hash(token) not in values
    assert set(row) == {
        "id",
        "questionnaire",
        "version",
        "opportunity",
        "progress",
        "completed",
        "resume_hash",
        "submitted_at",
    }
    moment = row["submitted_at"]
    assert (moment.hour, moment.minute, moment.second, moment.microsecond) == (0, 0, 0, 0)


@pytest.mark.parametrize("kind", [q["kind"] for q in ALL_KINDS])
async def test_every_kind_renders_labelled_and_keeps_what_was_typed(kind: str) -> None:
    plan = await survey_plan([q for q in ALL_KINDS if q["kind"] == kind] or ALL_KINDS)
    q = plan.questions[0]
    template = environment().from_string(
        '{% from "questionnaires/_questions.html" import question_field %}'
        "{{ question_field(form, question, 3, 8, stops) }}"
    )
    blank = template.render(form=None, question=q, stops=plan.stops)
    assert "Frage 3 von 8" in blank
    assert q.text in blank
    assert f'name="{q.field_name}"' in blank
    form = Form(values={q.field_name: "<typed>"}, errors={q.field_name: "Falsch."})
    shown = template.render(form=form, question=q, stops=plan.stops)
    assert "Falsch." in shown and f'aria-describedby="f-{q.field_name}-' in shown
    assert "<typed>" not in shown
    if kind in ("number", "short_text", "long_text"):
        assert "&lt;typed&gt;" in shown
    if kind in ("agreement",):
        assert '<strong class="answer-option__symbol" aria-hidden="true">++</strong>' in blank
        assert "<legend" in blank
    if kind == "number":
        assert 'min="0"' in blank and 'max="50"' in blank and 'type="number"' in blank
    if kind == "place":
        assert "Ort beschreiben" in blank and "Bus" in blank


async def test_the_same_page_submitted_twice_at_once_is_stored_once() -> None:
    """Two tabs (or a double tap) at the same moment: one wins, the other stores nothing."""
    import asyncio

    plan = await survey_plan()
    token, _hash = new_token()
    answers = parse_page(plan, plan.pages[0], form_for(plan, VALID))
    assert answers is not None

    async def first_page() -> SaveOutcome:
        return await save_page(
            key=token, plan=plan, page_number=1, answers=answers, opportunity_id=None
        )

    outcomes = await asyncio.gather(first_page(), first_page())
    assert sorted(outcomes) == [SaveOutcome.REFUSED, SaveOutcome.SAVED]
    assert await Response.count() == 1
    assert await Answer.count() == len(answers)

    async def last_page() -> SaveOutcome:
        return await save_page(key=token, plan=plan, page_number=2, answers=[], opportunity_id=None)

    outcomes = await asyncio.gather(last_page(), last_page())
    assert sorted(outcomes) == [SaveOutcome.COMPLETED, SaveOutcome.REFUSED]


async def test_a_field_posted_twice_counts_once() -> None:
    """A tampered form repeats a single-answer field: the first value is taken, not a list."""
    plan = await survey_plan([question("short_text", "Text"), question("rating", "Note")])
    text, rating = plan.questions
    form = Form(values={text.field_name: ["eins", "zwei"], rating.field_name: ["4", "1"]})
    answers = parse_page(plan, plan.pages[0], form)
    assert answers == [
        NewAnswer(text.id, text="eins"),
        NewAnswer(rating.id, choice="4", number=4.0),
    ]
