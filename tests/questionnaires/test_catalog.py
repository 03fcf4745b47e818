"""The built-in templates: both languages, today's short feedback unchanged, idempotent."""

from __future__ import annotations

from collections import Counter

from boerse.lib.db import write_transaction
from boerse.questionnaires.catalog import (
    LANGUAGES,
    TEMPLATE_KEYS,
    builtin_template_id,
    ensure_builtin_templates,
)
from boerse.questionnaires.kinds import CHECKLIST_OPTIONS, QuestionKind
from boerse.questionnaires.model import copy_questionnaire, latest_version_id, load_plan
from boerse.questionnaires.tables import (
    Question,
    Questionnaire,
    QuestionnaireKind,
    QuestionnaireVersion,
    Stop,
)


async def plan_of(key: str, language: str = "de"):
    questionnaire_id = await builtin_template_id(key, language)
    assert questionnaire_id is not None
    plan = await load_plan(await latest_version_id(questionnaire_id))
    assert plan is not None
    return plan


async def test_every_key_exists_once_per_language_with_version_one() -> None:
    await Questionnaire.delete(force=True)

    await ensure_builtin_templates()

    rows = await Questionnaire.select(
        Questionnaire.template_key,
        Questionnaire.language,
        Questionnaire.is_template,
        Questionnaire.organisation,
        Questionnaire.opportunity,
    )
    assert sorted((r["template_key"], r["language"]) for r in rows) == sorted(
        (key, language) for key in TEMPLATE_KEYS for language in LANGUAGES
    )
    assert len(TEMPLATE_KEYS) == 5
    assert all(r["is_template"] and r["organisation"] is None for r in rows)
    assert all(r["opportunity"] is None for r in rows)
    versions = await QuestionnaireVersion.select(QuestionnaireVersion.number)
    assert [v["number"] for v in versions] == [1] * 10
    assert await Stop.count() == 0, "stops are added by the officer, never by a template"


async def test_a_second_call_adds_nothing_and_costs_one_query(count_queries) -> None:
    before = (await Questionnaire.count(), await Question.count())

    with count_queries() as counter:
        await ensure_builtin_templates()

    assert counter.count == 1
    assert (await Questionnaire.count(), await Question.count()) == before


async def test_a_missing_language_is_added_without_touching_the_rest() -> None:
    english = await builtin_template_id("youth_check", "en")
    kept = await builtin_template_id("youth_check", "de")
    await Questionnaire.delete().where(Questionnaire.id == english)

    await ensure_builtin_templates()

    assert await builtin_template_id("youth_check", "de") == kept
    assert await builtin_template_id("youth_check", "en") not in (None, english)
    assert await Questionnaire.count() == 10


async def test_short_feedback_is_todays_survey() -> None:
    plan = await plan_of("short_feedback")

    assert plan.kind == QuestionnaireKind.SURVEY
    assert [(q.kind, q.text, q.required) for q in plan.questions] == [
        (QuestionKind.RATING, "Wie bewerten Sie das Angebot insgesamt?", True),
        (QuestionKind.AGREEMENT, "Das Angebot war gut organisiert.", True),
        (QuestionKind.AGREEMENT, "Meine Mitwirkung hat etwas bewirkt.", True),
        (QuestionKind.AGREEMENT, "Ich würde anderen empfehlen mitzumachen.", True),
        (QuestionKind.LONG_TEXT, "Möchten Sie uns noch etwas mitteilen?", False),
    ]
    assert [o.key for o in plan.questions[0].options] == ["1", "2", "3", "4", "5"]
    assert [o.symbol for o in plan.questions[1].options] == ["++", "+", "−", "−−"]
    assert len(plan.pages) == 1


async def test_english_rows_are_translations_with_the_same_structure() -> None:
    for key in TEMPLATE_KEYS:
        german, english = await plan_of(key, "de"), await plan_of(key, "en")

        def shape(plan):
            return [
                (
                    q.kind,
                    q.required,
                    q.page,
                    q.per_stop,
                    bool(q.section),
                    [o.key for o in q.options],
                )
                for q in plan.questions
            ]

        assert shape(german) == shape(english), key
        assert german.kind == english.kind
        assert german.title != english.title
        assert all(
            de.text != en.text for de, en in zip(german.questions, english.questions, strict=True)
        ), key
    assert (await plan_of("short_feedback", "en")).questions[0].text == (
        "How would you rate the opportunity overall?"
    )


async def test_coproduction_asks_the_eight_statements_of_the_seeds_on_four_points() -> None:
    plan = await plan_of("coproduction")

    assert len(plan.questions) == 8
    assert {q.kind for q in plan.questions} == {QuestionKind.AGREEMENT}
    assert all(len(q.options) == 4 for q in plan.questions)
    assert plan.questions[0].text == (
        "Wenn Bürger beim Ressourceneinsatz mitsteuern, hilft das Rat und Verwaltung, die "
        "richtigen Prioritäten zu setzen."
    )
    assert plan.questions[5].text == (
        "Bürger wollen sich meist nicht engagieren – es sind immer die „üblichen Verdächtigen“."
    )
    assert [len(page.questions) for page in plan.pages] == [4, 4]


async def test_dementia_walk_asks_every_criterion_at_each_stop_then_a_summary() -> None:
    plan = await plan_of("dementia_walk")

    assert plan.is_walk_audit
    at_stop = [q for q in plan.questions if q.per_stop]
    criteria = [q for q in at_stop if q.kind == QuestionKind.CHECKLIST]
    assert [q.text.split(":")[0] for q in criteria] == [
        "Beschilderung",
        "Sitzgelegenheiten",
        "Toiletten",
        "Beleuchtung",
        "Überwege",
        "Lärm",
        "Hilfe",
    ]
    assert all(q.help and q.required and q.options == CHECKLIST_OPTIONS for q in criteria)
    assert [q.kind for q in at_stop if q.kind != QuestionKind.CHECKLIST] == [QuestionKind.LONG_TEXT]
    after = [q.kind for q in plan.questions if not q.per_stop]
    assert after == [QuestionKind.RATING, QuestionKind.LONG_TEXT]
    assert plan.stops == ()


async def test_youth_and_building_checks_have_their_kinds_sections_and_pages() -> None:
    youth = await plan_of("youth_check")
    kinds = Counter(q.kind for q in youth.questions)
    assert kinds[QuestionKind.AGREEMENT] >= 4
    assert kinds[QuestionKind.SINGLE_CHOICE] == 2
    assert kinds[QuestionKind.RATING] == 2
    choice = next(q for q in youth.questions if q.kind == QuestionKind.SINGLE_CHOICE)
    assert choice.options[0].label == "Mehrmals pro Woche"
    assert len(youth.pages) == 2

    building = await plan_of("building_access")
    assert building.kind == QuestionnaireKind.SURVEY
    checklist = [q for q in building.questions if q.kind == QuestionKind.CHECKLIST]
    assert len(checklist) == 8
    assert [q.text.split(":")[0] for q in checklist][:3] == [
        "Eingang",
        "Stufen und Rampen",
        "Türen",
    ]
    assert len([q for q in building.questions if q.section]) == 4
    assert len(building.pages) == 4


async def test_an_officer_copy_of_a_template_gets_its_questions() -> None:
    source = await builtin_template_id("dementia_walk")
    async with write_transaction():
        copy = await copy_questionnaire(source, organisation_id=None, title="Begehung West")

    plan = await load_plan(await latest_version_id(copy))
    original = await plan_of("dementia_walk")
    assert plan.title == "Begehung West"
    assert [q.text for q in plan.questions] == [q.text for q in original.questions]
    assert await Questionnaire.count().where(Questionnaire.is_template == True) == 10  # noqa: E712
