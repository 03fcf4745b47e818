"""The builder's services: edits land in the editable version (a new one once answered),
ordering, option keys, copies of templates and the defaults per mode."""

from __future__ import annotations

import json

import pytest

from boerse.accounts.tables import Organisation
from boerse.audit.tables import AuditEntry
from boerse.opportunities.tables import Mode
from boerse.questionnaires import model, services
from boerse.questionnaires.kinds import Option
from boerse.questionnaires.schemas import QuestionInput, SettingsInput, StopInput, option_keys
from boerse.questionnaires.tables import (
    Answer,
    Question,
    Questionnaire,
    QuestionnaireVersion,
    Response,
)
from tests.support.factories import make_officer, make_opportunity, make_organisation


def question(text: str, kind: str = "agreement", **fields) -> QuestionInput:
    values = {
        "kind": kind,
        "text": text,
        "help": "",
        "required": False,
        "page": 1,
        "section": "",
        "option_labels": (),
        "allow_dont_know": False,
        "per_stop": False,
        "min_value": None,
        "max_value": None,
    }
    return QuestionInput(**(values | fields))


def stop(name: str) -> StopInput:
    return StopInput(name=name, address=f"{name}straße 1", latitude=None, longitude=None)


async def new_survey(kind: str = "survey") -> tuple[Organisation, int]:
    """An organisation and the id of its empty questionnaire."""
    organisation = await make_organisation()
    officer = await make_officer(organisation)
    questionnaire_id = await services.create_questionnaire(
        title="Nachbarschaftstreff",
        kind=kind,
        organisation_id=organisation.id,
        is_template=False,
        language="de",
        created_by=officer.id,
    )
    return organisation, questionnaire_id


async def texts(questionnaire_id: int) -> list[str]:
    plan = await services.latest_plan(questionnaire_id)
    return [q.text for q in plan.questions]


async def answer(questionnaire_id: int) -> int:
    """One completed response with an answer to the first question of the latest version."""
    plan = await services.latest_plan(questionnaire_id)
    response = Response(questionnaire=questionnaire_id, version=plan.version_id, completed=True)
    await response.save()
    await Answer(response=response.id, question=plan.questions[0].id, choice="4").save()
    return response.id


async def test_edits_before_answers_change_version_one_in_place() -> None:
    _org, questionnaire_id = await new_survey()
    await services.add_question(questionnaire_id, question("Gut organisiert?"))
    await services.add_question(questionnaire_id, question("Wieder dabei?"))
    plan = await services.latest_plan(questionnaire_id)
    await services.update_question(
        questionnaire_id, plan.questions[0].id, question("Gut vorbereitet?")
    )

    assert await texts(questionnaire_id) == ["Gut vorbereitet?", "Wieder dabei?"]
    assert (
        await QuestionnaireVersion.count().where(
            QuestionnaireVersion.questionnaire == questionnaire_id
        )
        == 1
    )
    entries = await AuditEntry.select(AuditEntry.action, AuditEntry.target_id)
    assert {(e["action"], e["target_id"]) for e in entries} == {
        ("questionnaire_created", questionnaire_id),
        ("questionnaire_edited", questionnaire_id),
    }


async def test_an_edit_after_answers_makes_version_two_and_answers_keep_version_one() -> None:
    _org, questionnaire_id = await new_survey()
    await services.add_question(questionnaire_id, question("Gut organisiert?"))
    await services.add_question(questionnaire_id, question("Wieder dabei?"))
    first = await services.latest_plan(questionnaire_id)
    response_id = await answer(questionnaire_id)

    await services.update_question(
        questionnaire_id, first.questions[1].id, question("Würden Sie wieder mitmachen?")
    )

    second = await services.latest_plan(questionnaire_id)
    assert second.number == 2 and second.version_id != first.version_id
    assert [q.text for q in second.questions] == [
        "Gut organisiert?",
        "Würden Sie wieder mitmachen?",
    ]
    # Version 1 and its answer are untouched.
    assert [q.text for q in (await model.load_plan(first.version_id)).questions] == [
        "Gut organisiert?",
        "Wieder dabei?",
    ]
    kept = await Response.select(Response.version).where(Response.id == response_id).first()
    assert kept["version"] == first.version_id
    stored = await Answer.select(Answer.question).where(Answer.response == response_id)
    assert [row["question"] for row in stored] == [first.questions[0].id]

    # Version 2 has no answers yet: the next edit changes it in place.
    await services.delete_question(questionnaire_id, second.questions[0].id)
    third = await services.latest_plan(questionnaire_id)
    assert third.version_id == second.version_id
    assert [q.text for q in third.questions] == ["Würden Sie wieder mitmachen?"]

    view = await services.builder_view(questionnaire_id)
    assert [(v.number, v.responses) for v in view.versions] == [(1, 1), (2, 0)]
    assert view.previous.number == 1 and view.previous.responses == 1


async def test_a_stale_id_from_an_older_version_is_refused() -> None:
    _org, questionnaire_id = await new_survey()
    await services.add_question(questionnaire_id, question("Gut organisiert?"))
    first = await services.latest_plan(questionnaire_id)
    await answer(questionnaire_id)
    await services.add_question(questionnaire_id, question("Neu"))

    with pytest.raises(services.NotInLatestVersionError):
        await services.update_question(questionnaire_id, first.questions[0].id, question("X"))
    assert await services.question_of(questionnaire_id, first.questions[0].id) is None


async def test_moving_questions_swaps_within_a_page_and_crosses_page_edges() -> None:
    _org, questionnaire_id = await new_survey()
    for text, page in (("A", 1), ("B", 1), ("C", 2)):
        await services.add_question(questionnaire_id, question(text, page=page))
    plan = await services.latest_plan(questionnaire_id)
    _a, b, c = (q.id for q in plan.questions)

    assert await services.move_question(questionnaire_id, b, -1) is True
    assert await texts(questionnaire_id) == ["B", "A", "C"]
    assert await services.move_question(questionnaire_id, b, -1) is False  # already first

    # C is first on page 2: moving it up puts it last on page 1.
    await services.move_question(questionnaire_id, c, -1)
    plan = await services.latest_plan(questionnaire_id)
    assert [(q.text, q.page) for q in plan.questions] == [("B", 1), ("A", 1), ("C", 1)]
    await services.move_question(questionnaire_id, c, -1)
    assert await texts(questionnaire_id) == ["B", "C", "A"]
    plan = await services.latest_plan(questionnaire_id)
    assert [q.position for q in plan.questions] == [0, 1, 2]


async def test_moving_after_answers_reorders_the_new_version_only() -> None:
    _org, questionnaire_id = await new_survey()
    for text in ("A", "B", "C"):
        await services.add_question(questionnaire_id, question(text))
    first = await services.latest_plan(questionnaire_id)
    await answer(questionnaire_id)

    await services.move_question(questionnaire_id, first.questions[2].id, -1)

    assert await texts(questionnaire_id) == ["A", "C", "B"]
    assert [q.text for q in (await model.load_plan(first.version_id)).questions] == ["A", "B", "C"]


async def test_stops_are_added_moved_and_deleted_in_order() -> None:
    _org, questionnaire_id = await new_survey("walk_audit")
    for name in ("Markt", "Bahnhof", "Park"):
        await services.add_stop(questionnaire_id, stop(name))
    plan = await services.latest_plan(questionnaire_id)
    markt, bahnhof, park = (s.id for s in plan.stops)

    await services.move_stop(questionnaire_id, park, -1)
    assert await services.move_stop(questionnaire_id, markt, -1) is False
    await services.update_stop(
        questionnaire_id,
        bahnhof,
        StopInput(name="Hauptbahnhof", address="", latitude=51.345, longitude=12.381),
    )
    plan = await services.latest_plan(questionnaire_id)
    assert [s.name for s in plan.stops] == ["Markt", "Park", "Hauptbahnhof"]
    assert plan.stops[2].latitude == pytest.approx(51.345)

    await answer_walk(questionnaire_id)
    await services.delete_stop(questionnaire_id, park)
    latest = await services.latest_plan(questionnaire_id)
    assert [s.name for s in latest.stops] == ["Markt", "Hauptbahnhof"]
    assert [s.position for s in latest.stops] == [0, 1]
    assert [s.name for s in (await model.load_plan(plan.version_id)).stops] == [
        "Markt",
        "Park",
        "Hauptbahnhof",
    ]


async def answer_walk(questionnaire_id: int) -> None:
    await services.add_question(questionnaire_id, question("Sitzbank?", "checklist", per_stop=True))
    await answer(questionnaire_id)


async def test_option_keys_stay_with_unchanged_labels() -> None:
    old = (Option("o1", "Bus"), Option("o2", "Rad"), Option("o3", "zu Fuß"))
    assert option_keys(old, ["Rad", "Auto", "Bus"]) == [
        ("o2", "Rad"),
        ("o4", "Auto"),
        ("o1", "Bus"),
    ]
    assert option_keys((), ["Ja", "Nein"]) == [("o1", "Ja"), ("o2", "Nein")]

    _org, questionnaire_id = await new_survey()
    choice = question("Wie gekommen?", "single_choice", option_labels=("Bus", "Rad"))
    await services.add_question(questionnaire_id, choice)
    plan = await services.latest_plan(questionnaire_id)
    relabelled = question("Wie gekommen?", "single_choice", option_labels=("Rad", "Tram"))
    await services.update_question(questionnaire_id, plan.questions[0].id, relabelled)
    stored = (
        await Question.select(Question.options).where(Question.id == plan.questions[0].id).first()
    )
    assert json.loads(stored["options"]) == [
        {"key": "o2", "label": "Rad"},
        {"key": "o3", "label": "Tram"},
    ]


async def test_a_kind_change_after_answers_starts_a_new_version() -> None:
    _org, questionnaire_id = await new_survey()
    await services.add_question(questionnaire_id, question("A"))
    await answer(questionnaire_id)
    await services.update_settings(
        questionnaire_id,
        SettingsInput(title="Neuer Titel", intro="Hallo", kind="survey", reminder_days="3"),
    )
    assert (await services.latest_plan(questionnaire_id)).number == 1
    await services.update_settings(
        questionnaire_id,
        SettingsInput(title="Neuer Titel", intro="Hallo", kind="walk_audit", reminder_days=""),
    )
    plan = await services.latest_plan(questionnaire_id)
    assert plan.number == 2 and plan.kind == "walk_audit" and plan.title == "Neuer Titel"
    row = (
        await Questionnaire.select(Questionnaire.reminder_days)
        .where(Questionnaire.id == questionnaire_id)
        .first()
    )
    assert row["reminder_days"] == ""


async def test_copying_a_template_makes_an_independent_questionnaire() -> None:
    organisation = await make_organisation()
    officer = await make_officer(organisation)
    template = (
        await Questionnaire.select(Questionnaire.id)
        .where(Questionnaire.template_key == "dementia_walk", Questionnaire.language == "de")
        .first()
    )
    source = await services.latest_plan(template["id"])

    copied = await services.copy_template(
        template["id"], organisation_id=organisation.id, is_template=False, created_by=officer.id
    )
    plan = await services.latest_plan(copied)
    assert [q.text for q in plan.questions] == [q.text for q in source.questions]
    assert [s.name for s in plan.stops] == [s.name for s in source.stops]
    row = await Questionnaire.select().where(Questionnaire.id == copied).first()
    assert (row["organisation"], row["is_template"], row["template_key"]) == (
        organisation.id,
        False,
        None,
    )
    await services.delete_question(copied, plan.questions[0].id)
    assert len((await services.latest_plan(template["id"])).questions) == len(source.questions)

    lists = await services.questionnaire_lists(organisation.id, everything=False, language="en")
    assert [r.id for r in lists.standalone] == [copied]
    assert lists.builtin_templates[0].language == "en"
    assert {r.language for r in lists.builtin_templates} == {"de", "en"}


async def test_lists_show_only_the_organisations_own_questionnaires() -> None:
    org_a, questionnaire_a = await new_survey()
    _org_b, questionnaire_b = await new_survey()
    opportunity = await make_opportunity(org_a)
    own = await services.open_for_opportunity(opportunity.id)
    again = await services.open_for_opportunity(opportunity.id)
    assert own == again

    lists = await services.questionnaire_lists(org_a.id, everything=False, language="de")
    assert [r.id for r in lists.standalone] == [questionnaire_a]
    assert [r.id for r in lists.for_opportunities] == [own]
    assert lists.for_opportunities[0].opportunity_title == opportunity.title
    everything = await services.questionnaire_lists(None, everything=True, language="de")
    assert {questionnaire_a, questionnaire_b} <= {r.id for r in everything.standalone}
    created = await AuditEntry.count().where(
        AuditEntry.action == "questionnaire_created", AuditEntry.target_id == own
    )
    assert created == 1


async def test_mode_defaults_keep_one_template_per_mode() -> None:
    candidates = await services.default_candidates()
    first, second = candidates[0].id, candidates[1].id

    assert await services.set_mode_defaults({"co_assess": first, "co_deliver": None}) == 1
    assert await services.set_mode_defaults({"co_assess": second}) == 1
    assert await services.set_mode_defaults({"co_assess": second}) == 0
    marked = await Questionnaire.select(Questionnaire.id).where(
        Questionnaire.default_for_mode == "co_assess"
    )
    assert [row["id"] for row in marked] == [second]

    organisation = await make_organisation()
    opportunity = await make_opportunity(organisation, mode=Mode.CO_ASSESS)
    made = await services.open_for_opportunity(opportunity.id)
    title = await Questionnaire.select(Questionnaire.title).where(Questionnaire.id == made).first()
    assert title["title"] == candidates[1].title

    await services.set_mode_defaults({"co_assess": None})
    assert not await Questionnaire.exists().where(Questionnaire.default_for_mode.is_not_null())
