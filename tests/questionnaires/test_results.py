"""Aggregates of a questionnaire version from the tallies, against hand-counted answers."""

from __future__ import annotations

import pytest

from boerse.questionnaires.aggregates import Light, light_of, map_points
from boerse.questionnaires.results import TEXTS_PER_PAGE, questionnaire_results
from boerse.questionnaires.tally import NewAnswer
from tests.dashboards.answers import (
    QuestionSpec,
    add_version,
    choice,
    new_questionnaire,
    respond,
)
from tests.support.factories import make_organisation

ALL_KINDS = (
    QuestionSpec("agreement", "Die Wege sind gut beschildert.", allow_dont_know=True),
    QuestionSpec("rating", "Wie bewerten Sie den Treff?"),
    QuestionSpec("single_choice", "Wie sind Sie gekommen?", (("bus", "Bus"), ("rad", "Rad"))),
    QuestionSpec("multiple_choice", "Was nutzen Sie?", (("cafe", "Café"), ("buch", "Bücher"))),
    QuestionSpec("checklist", "Gibt es eine Toilette?"),
    QuestionSpec("number", "Wie oft im Monat?"),
    QuestionSpec("long_text", "Was möchten Sie noch sagen?"),
)


async def survey_with_answers():
    organisation = await make_organisation()
    plan = await new_questionnaire(organisation.id, questions=ALL_KINDS)
    agree, rating, single, multiple, check, number, text = (q.id for q in plan.questions)
    rows = [
        # agreement, rating, single, multiple, checklist, number, text
        ("4", 5, "bus", ("cafe", "buch"), "yes", 2.0, "Schön hier"),
        ("3", 4, "bus", ("cafe",), "no", 4.0, None),
        ("1", 2, "rad", (), "na", None, "Zu laut"),
        ("dont_know", 4, "bus", ("buch",), "yes", 6.0, None),
    ]
    for a, r, s, m, c, n, t in rows:
        answers = [choice(agree, a), choice(rating, r), choice(single, s), choice(check, c)]
        answers += [choice(multiple, key) for key in m]
        if n is not None:
            answers.append(NewAnswer(number, number=n))
        if t:
            answers.append(NewAnswer(text, text=t))
        await respond(plan, answers)
    # Someone still answering counts as in progress, not as a response.
    await respond(plan, [choice(rating, 1)], completed=False)
    return plan


async def test_distributions_averages_and_shares_of_each_kind() -> None:
    plan = await survey_with_answers()

    results = await questionnaire_results(
        plan.questionnaire_id, opportunity_id=None, min_answers=3, with_texts=True
    )

    assert results is not None
    assert (results.responses, results.in_progress, results.invitations) == (4, 1, None)
    assert results.response_rate is None
    by_text = {r.question.text: r for r in results.questions}
    agreement = by_text["Die Wege sind gut beschildert."]
    assert [(b.symbol, b.count) for b in agreement.bars] == [
        ("++", 1),
        ("+", 1),
        ("−", 0),
        ("−−", 1),
        ("", 1),
    ]
    assert agreement.bars[-1].label == "weiß nicht"
    assert agreement.average == (4 + 3 + 1) / 3  # "weiß nicht" left out
    assert round(agreement.agreement, 1) == 66.7
    rating = by_text["Wie bewerten Sie den Treff?"]
    # The in-progress response's answer is tallied too: 5, 4, 2, 4 and 1.
    assert [b.count for b in rating.bars] == [1, 1, 0, 2, 1]
    assert rating.average == (5 + 4 + 2 + 4 + 1) / 5
    assert (rating.agreement, rating.scale_max) == (None, 5)
    single = by_text["Wie sind Sie gekommen?"]
    assert [(b.label, b.count, b.percent) for b in single.bars] == [
        ("Bus", 3, 75.0),
        ("Rad", 1, 25.0),
    ]
    assert single.average is None
    multiple = by_text["Was nutzen Sie?"]
    assert [(b.label, b.count) for b in multiple.bars] == [("Café", 2), ("Bücher", 2)]
    check = by_text["Gibt es eine Toilette?"]
    assert [(b.key, b.count) for b in check.bars] == [("yes", 2), ("no", 1), ("na", 1)]
    assert round(check.yes_share, 1) == 66.7  # not applicable counts neither way
    assert check.light == Light.PARTLY
    number = by_text["Wie oft im Monat?"]
    assert (number.answers, number.average, number.bars) == (3, 4.0, ())
    assert "Was möchten Sie noch sagen?" not in by_text  # free text is not charted
    assert results.texts is not None
    assert [item.text for item in results.texts.items] == ["Zu laut", "Schön hier"]
    assert results.overall is rating


async def test_details_are_withheld_below_the_minimum_and_texts_only_on_request() -> None:
    plan = await survey_with_answers()

    few = await questionnaire_results(
        plan.questionnaire_id, opportunity_id=None, min_answers=5, with_texts=True
    )
    public = await questionnaire_results(plan.questionnaire_id, opportunity_id=None, min_answers=4)

    assert few is not None and public is not None
    assert (few.withheld_below, few.responses, few.questions, few.texts) == (5, 4, (), None)
    assert not few.shown
    assert public.shown and public.questions and public.texts is None


async def test_the_latest_answered_version_is_the_default_and_others_can_be_chosen() -> None:
    plan = await new_questionnaire((await make_organisation()).id)
    rating = plan.questions[0].id
    for value in (5, 4, 3):
        await respond(plan, [choice(rating, value)])
    second = await add_version(plan.questionnaire_id, [QuestionSpec("rating", "Neu gefragt")])
    await add_version(plan.questionnaire_id, [QuestionSpec("rating", "Noch nicht gefragt")])
    await respond(second, [choice(second.questions[0].id, 1)])

    default = await questionnaire_results(plan.questionnaire_id, opportunity_id=None, min_answers=1)
    first = await questionnaire_results(
        plan.questionnaire_id, opportunity_id=None, min_answers=1, version_number=1
    )
    unknown = await questionnaire_results(
        plan.questionnaire_id, opportunity_id=None, min_answers=1, version_number=9
    )

    assert default is not None and first is not None
    assert [(v.number, v.completed) for v in default.versions] == [(1, 3), (2, 1), (3, 0)]
    assert default.version.number == 2
    assert [r.question.text for r in default.questions] == ["Neu gefragt"]
    assert first.version.number == 1
    assert first.questions[0].average == 4.0
    assert first.all_responses == 4
    assert unknown is None


async def test_free_texts_are_paginated_newest_first() -> None:
    plan = await new_questionnaire((await make_organisation()).id)
    text = plan.questions[-1].id
    for n in range(TEXTS_PER_PAGE + 3):
        await respond(plan, [NewAnswer(text, text=f"Anmerkung {n}")])

    first = await questionnaire_results(
        plan.questionnaire_id, opportunity_id=None, min_answers=1, with_texts=True
    )
    second = await questionnaire_results(
        plan.questionnaire_id,
        opportunity_id=None,
        min_answers=1,
        with_texts=True,
        text_page_number=2,
    )

    assert first.texts.total == TEXTS_PER_PAGE + 3 and first.texts.pages == 2
    assert len(first.texts.items) == TEXTS_PER_PAGE
    assert first.texts.items[0].text == f"Anmerkung {TEXTS_PER_PAGE + 2}"
    assert [i.text for i in second.texts.items] == ["Anmerkung 2", "Anmerkung 1", "Anmerkung 0"]
    assert second.texts.page == 2


WALK = (
    QuestionSpec("checklist", "Gibt es Sitzgelegenheiten?", per_stop=True),
    QuestionSpec("checklist", "Ist die Beschilderung gut lesbar?", per_stop=True),
    QuestionSpec("rating", "Wie war der Weg insgesamt?"),
)
STOPS = (
    ("Marktplatz", 51.3400, 12.3740),
    ("Bibliothek", 51.3410, 12.3760),
    ("Bahnhof", None, None),
)


async def walk_audit(organisation_id: int | None = None):
    plan = await new_questionnaire(
        organisation_id or (await make_organisation()).id,
        kind="walk_audit",
        questions=WALK,
        stops=STOPS,
    )
    seats, signs, overall = (q.id for q in plan.questions)
    market, library, _station = (s.id for s in plan.stops)
    audits = [
        # seats at market, signs at market, seats at library, signs at library
        ("yes", "yes", "no", "yes"),
        ("yes", "no", "no", "na"),
        ("yes", "yes", "no", "no"),
        ("yes", "yes", "yes", "no"),
    ]
    for a, b, c, d in audits:
        await respond(
            plan,
            [
                choice(seats, a, market),
                choice(signs, b, market),
                choice(seats, c, library),
                choice(signs, d, library),
                choice(overall, 4),
            ],
        )
    return plan


async def test_walk_audit_lights_per_stop_and_criterion() -> None:
    plan = await walk_audit()

    results = await questionnaire_results(plan.questionnaire_id, opportunity_id=None, min_answers=3)

    walk = results.walk
    assert walk is not None
    assert [r.question.text for r in results.questions] == ["Wie war der Weg insgesamt?"]
    market, library, station = walk.stops
    assert [(c.question.text, c.yes_share, c.light) for c in market.criteria] == [
        ("Gibt es Sitzgelegenheiten?", 100.0, Light.MET),
        ("Ist die Beschilderung gut lesbar?", 75.0, Light.MET),
    ]
    assert [(c.yes_share, c.light) for c in library.criteria] == [
        (25.0, Light.NOT_MET),
        (pytest.approx(100 / 3), Light.NOT_MET),
    ]
    assert [c.light for c in station.criteria] == [Light.NO_DATA, Light.NO_DATA]
    assert market.yes_share == 7 / 8 * 100 and market.light == Light.MET
    assert library.yes_share == pytest.approx(200 / 7) and library.light == Light.NOT_MET
    assert station.light == Light.NO_DATA and station.point is None
    assert [s.number for s in walk.stops] == [1, 2, 3]
    assert market.point is not None and library.point is not None
    # North is up and east is right: the library lies north-east of the market.
    assert library.point[0] > market.point[0] and library.point[1] < market.point[1]
    assert len(walk.mapped) == 2


def test_light_thresholds() -> None:
    assert [light_of(v) for v in (None, 0.0, 39.9, 40.0, 74.9, 75.0, 100.0)] == [
        Light.NO_DATA,
        Light.NOT_MET,
        Light.NOT_MET,
        Light.PARTLY,
        Light.PARTLY,
        Light.MET,
        Light.MET,
    ]


def test_map_points_stay_inside_the_box() -> None:
    from boerse.questionnaires.model import StopRow

    stops = tuple(
        StopRow(n, n, f"Halt {n}", "", 51.0 + n / 1000, 12.0 + (n % 3) / 500) for n in range(6)
    )
    one = (StopRow(9, 0, "Allein", "", 51.0, 12.0),)

    points = map_points(stops)

    assert len(points) == 6
    assert all(0 <= x <= 400 and 0 <= y <= 300 for x, y in points.values())
    assert map_points(one) == {9: (200.0, 150.0)}


async def test_standalone_rate_counts_single_use_links_and_none_for_open_access() -> None:
    from boerse.assessments.tables import AssessmentAccess
    from boerse.questionnaires.model import latest_version_id, load_plan
    from tests.assessments.helpers import make_assessment, make_link

    organisation = await make_organisation()
    by_link = await make_assessment(organisation, access=AssessmentAccess.LINK)
    open_to_all = await make_assessment(organisation)
    for _ in range(4):
        await make_link(by_link)
    plan = await load_plan(await latest_version_id(by_link.questionnaire))
    await respond(plan, [choice(plan.questions[1].id, 4)])

    linked = await questionnaire_results(by_link.questionnaire, opportunity_id=None, min_answers=1)
    public = await questionnaire_results(
        open_to_all.questionnaire, opportunity_id=None, min_answers=1
    )

    assert (linked.invitations, linked.response_rate) == (4, 25.0)
    assert (public.invitations, public.response_rate) == (None, None)


async def test_place_and_number_shares_count_answers_without_an_option() -> None:
    places = (("markt", "Marktplatz"), ("park", "Stadtpark"))
    plan = await new_questionnaire(
        (await make_organisation()).id,
        questions=(
            QuestionSpec("place", "Wo ist Ihr Lieblingsplatz?", places),
            QuestionSpec("number", "Wie oft sind Sie dort?", allow_dont_know=True),
        ),
    )
    place, number = (q.id for q in plan.questions)
    await respond(plan, [choice(place, "markt"), NewAnswer(number, number=2.0)])
    await respond(plan, [NewAnswer(place, text="Am Fluss"), choice(number, "dont_know")])

    results = await questionnaire_results(plan.questionnaire_id, opportunity_id=None, min_answers=1)

    where, often = results.questions
    assert [(b.label, b.count, b.percent) for b in where.bars] == [
        ("Marktplatz", 1, 50.0),
        ("Stadtpark", 0, 0.0),
    ]
    assert [(b.label, b.count, b.percent) for b in often.bars] == [("weiß nicht", 1, 50.0)]
    assert (often.answers, often.average) == (2, 2.0)
