"""The demo shows every co-assessment feature on first start, with consistent answers."""

from __future__ import annotations

from collections import Counter

from boerse.accounts.tables import Role, User
from boerse.demo.loader import load_demo
from boerse.demo.questionnaires import (
    OFFICER_BUILT_OFFER,
    WALK_AUDIT_OFFER,
    YOUTH_OFFER,
)
from boerse.demo.town import ADMIN
from boerse.opportunities.tables import Mode, Opportunity
from boerse.questionnaires.kinds import DONT_KNOW, QuestionKind
from boerse.questionnaires.model import latest_version_id, load_plan
from boerse.questionnaires.tables import (
    Answer,
    AnswerTally,
    Question,
    Questionnaire,
    QuestionnaireKind,
    QuestionnaireVersion,
    Response,
)
from boerse.settings import get_settings
from boerse.surveys.tables import SurveyInvitation
from tests.support.factories import sign_in

VALID_CHOICES = {
    QuestionKind.RATING: {"1", "2", "3", "4", "5", DONT_KNOW},
    QuestionKind.AGREEMENT: {"1", "2", "3", "4", DONT_KNOW},
    QuestionKind.CHECKLIST: {"yes", "no", "na"},
}


async def questionnaire_of(offer_title: str) -> dict:
    opportunity = await Opportunity.select(Opportunity.id).where(Opportunity.title == offer_title)
    return (
        await Questionnaire.select()
        .where(Questionnaire.opportunity == opportunity[0]["id"])
        .first()
    )


async def test_the_walk_audit_has_three_stops_in_town_with_answers_at_each() -> None:
    await load_demo()
    town = get_settings().town_name

    questionnaire = await questionnaire_of(WALK_AUDIT_OFFER)
    assert questionnaire["title"] == f"Begehung: Demenzfreundliches {town}"
    assert questionnaire["kind"] == QuestionnaireKind.WALK_AUDIT
    plan = await load_plan(await latest_version_id(questionnaire["id"]))
    assert [stop.name for stop in plan.stops] == [
        "Bushaltestelle Mühlenweg",
        "Bürgerhaus West, Eingang Lindenallee",
        "Marktplatz am Brunnen",
    ]
    assert all(town in stop.address and stop.latitude and stop.longitude for stop in plan.stops)
    responses = await Response.count().where(Response.questionnaire == questionnaire["id"])
    assert responses >= get_settings().public_results_min_answers
    per_stop = Counter(
        (row["stop"], row["choice"])
        for row in await Answer.select(Answer.stop, Answer.choice).where(
            (Answer.response.questionnaire == questionnaire["id"])
            & (Answer.question.kind == QuestionKind.CHECKLIST)
        )
    )
    for stop in plan.stops:
        assert per_stop[(stop.id, "yes")] and per_stop[(stop.id, "no")]
        assert sum(n for (s, _), n in per_stop.items() if s == stop.id) == responses * 7
    notes = await Answer.count().where(
        (Answer.response.questionnaire == questionnaire["id"])
        & Answer.stop.is_not_null()
        & Answer.text.is_not_null()
    )
    assert notes > 0


async def test_an_officer_built_questionnaire_with_place_number_and_choices_has_two_versions() -> (
    None
):
    await load_demo()
    questionnaire = await questionnaire_of(OFFICER_BUILT_OFFER)

    assert questionnaire["template_key"] is None and not questionnaire["is_template"]
    officer = await User.select(User.role).where(User.id == questionnaire["created_by"])
    assert officer == [{"role": Role.OFFICER.value}]
    versions = await QuestionnaireVersion.select(
        QuestionnaireVersion.id, QuestionnaireVersion.number
    ).where(QuestionnaireVersion.questionnaire == questionnaire["id"])
    assert sorted(v["number"] for v in versions) == [1, 2]
    ordered = sorted(versions, key=lambda v: v["number"])
    first, second = await load_plan(ordered[0]["id"]), await load_plan(ordered[1]["id"])
    kinds = {q.kind for q in second.questions}
    assert {
        QuestionKind.PLACE,
        QuestionKind.NUMBER,
        QuestionKind.SINGLE_CHOICE,
        QuestionKind.MULTIPLE_CHOICE,
    } <= kinds
    assert len(second.questions) == len(first.questions) + 1
    assert [q.text for q in first.questions] != [q.text for q in second.questions[:-1]]
    for plan in (first, second):
        answered = await Response.count().where(Response.version == plan.version_id)
        assert answered >= get_settings().public_results_min_answers
        own = {q.id for q in plan.questions}
        rows = await Answer.select(Answer.question).where(
            Answer.response.version == plan.version_id
        )
        assert {row["question"] for row in rows} <= own
    place = next(q for q in second.questions if q.kind == QuestionKind.PLACE)
    choices = await Answer.select(Answer.choice).where(Answer.question == place.id)
    assert {row["choice"] for row in choices} <= {o.key for o in place.options}


async def test_templates_town_wide_and_built_in_and_copies_for_opportunities() -> None:
    await load_demo()

    town_wide = await Questionnaire.select().where(
        Questionnaire.is_template.eq(True) & Questionnaire.template_key.is_null()
    )
    assert len(town_wide) == 1
    assert town_wide[0]["organisation"] is None
    assert town_wide[0]["default_for_mode"] == Mode.CO_COMMISSION.value
    admin = await User.select(User.role).where(User.id == town_wide[0]["created_by"])
    assert admin == [{"role": Role.ADMIN.value}]
    assert await Questionnaire.count().where(Questionnaire.template_key.is_not_null()) == 10
    youth = await questionnaire_of(YOUTH_OFFER)
    assert (await load_plan(await latest_version_id(youth["id"]))).questions[0].text == (
        "Ich fühle mich hier willkommen."
    )
    commission = await Questionnaire.select(Questionnaire.title).where(
        Questionnaire.opportunity.mode == Mode.CO_COMMISSION.value
    )
    assert commission and {row["title"] for row in commission} == {town_wide[0]["title"]}


async def test_every_answer_fits_its_question_and_the_tally_matches_a_recount() -> None:
    await load_demo()

    rows = await Answer.select(
        Answer.choice,
        Answer.number,
        Answer.stop,
        Answer.question.kind.as_alias("kind"),
        Answer.question.version.as_alias("question_version"),
        Answer.response.version.as_alias("response_version"),
        Answer.question,
    )
    assert rows
    assert all(row["question_version"] == row["response_version"] for row in rows)
    for row in rows:
        if row["kind"] in VALID_CHOICES:
            assert row["choice"] in VALID_CHOICES[row["kind"]], row
    recount: Counter[tuple[int, int, str]] = Counter(
        (row["question"], row["stop"] or 0, row["choice"] or "") for row in rows
    )
    tally = await AnswerTally.select(
        AnswerTally.question, AnswerTally.stop, AnswerTally.choice, AnswerTally.answers
    )
    assert {(t["question"], t["stop"], t["choice"]): t["answers"] for t in tally} == dict(recount)
    assert await Question.count() > 100


async def test_every_invitation_answers_its_opportunitys_questionnaire() -> None:
    await load_demo()

    invitations = await SurveyInvitation.select(
        SurveyInvitation.opportunity,
        SurveyInvitation.questionnaire.opportunity.as_alias("questionnaire_opportunity"),
    )
    assert invitations
    assert all(row["opportunity"] == row["questionnaire_opportunity"] for row in invitations)


async def test_the_demo_results_pages_show_stops_versions_and_public_results(client) -> None:
    """What an officer and the public see on first start, through the real pages."""
    await load_demo()
    walk_audit = await questionnaire_of(WALK_AUDIT_OFFER)
    officer_built = await questionnaire_of(OFFICER_BUILT_OFFER)
    admin = await User.objects().where(User.email == ADMIN.email).first()
    await sign_in(client, admin)

    audit_page = await client.get(f"/verwaltung/frageboegen/{walk_audit['id']}/ergebnisse/")
    latest = await client.get(f"/verwaltung/frageboegen/{officer_built['id']}/ergebnisse/")
    first = await client.get(f"/verwaltung/frageboegen/{officer_built['id']}/ergebnisse/?version=1")
    opportunity = await client.get(
        f"/verwaltung/angebote/{officer_built['opportunity']}/ergebnisse"
    )
    public = await client.get(f"/ergebnisse/{officer_built['opportunity']}")

    assert audit_page.status_code == 200, audit_page.text[:1000]
    assert all(
        name in audit_page.text for name in ("Bushaltestelle Mühlenweg", "Marktplatz am Brunnen")
    )
    assert latest.status_code == first.status_code == opportunity.status_code == 200
    assert "An wie vielen Tagen" in latest.text and "Wie oft haben Sie" not in latest.text
    assert "Wie oft haben Sie" in first.text
    assert public.status_code == 200
    for path in (
        f"/verwaltung/angebote/{walk_audit['opportunity']}/ergebnisse",
        f"/ergebnisse/{walk_audit['opportunity']}",
    ):
        assert (await client.get(path)).status_code == 200, path
