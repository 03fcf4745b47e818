"""The officer's results page of a questionnaire: access, suppression, versions, free texts,
walk audits with their map and list, and a fixed number of queries."""

from __future__ import annotations

from boerse.accounts.tables import Role
from boerse.questionnaires.results import TEXTS_PER_PAGE
from boerse.questionnaires.tally import NewAnswer
from tests.dashboards.answers import (
    QuestionSpec,
    add_version,
    answer_feedback,
    choice,
    new_questionnaire,
    respond,
)
from tests.questionnaires.test_results import walk_audit
from tests.support.factories import (
    make_officer,
    make_opportunity,
    make_organisation,
    make_user,
    sign_in,
)
from tests.surveys.helpers import make_invitation, make_signup, past_session


def url(questionnaire_id: int, query: str = "") -> str:
    return f"/verwaltung/frageboegen/{questionnaire_id}/ergebnisse/{query}"


def flat(text: str) -> str:
    return " ".join(text.split())


async def feedback_with_answers(organisation, answers: int = 4, comments: bool = True):
    opportunity = await make_opportunity(organisation, title="Lesepaten")
    session = await past_session(opportunity)
    for _ in range(5):
        await make_invitation(await make_signup(session))
    for n in range(answers):
        await answer_feedback(
            opportunity, overall=5 if n % 2 else 3, comment=f"Anmerkung {n}" if comments else ""
        )
    from boerse.questionnaires.results import questionnaire_of_opportunity

    return opportunity, await questionnaire_of_opportunity(opportunity.id)


async def test_officer_sees_counts_rate_charts_and_texts(client) -> None:
    organisation = await make_organisation()
    _opportunity, questionnaire_id = await feedback_with_answers(organisation)
    await sign_in(client, await make_officer(organisation))

    response = await client.get(url(questionnaire_id))

    assert response.status_code == 200, response.text[:2000]
    page = flat(response.text)
    assert "Ergebnisse: Lesepaten" in page
    assert '<span class="figure-value">4</span>' in page  # completed answers
    assert "Rücklaufquote" in page and "80&nbsp;%" in page  # 4 of 5 invitations
    assert "Durchschnitt: 4 von 5" in page
    assert '<rect width="50.0" height="1"/>' in page
    assert "Anmerkung 3" in page and "Anmerkung 0" in page
    assert page.index("Anmerkung 3") < page.index("Anmerkung 0")  # newest first
    assert (
        f'href="/verwaltung/frageboegen/{questionnaire_id}/ergebnisse/antworten.csv?version=1"'
        in page
    )


async def test_access_is_for_the_organisations_officers_and_admins(client) -> None:
    organisation = await make_organisation()
    _opportunity, questionnaire_id = await feedback_with_answers(organisation)
    target = url(questionnaire_id)

    anonymous = await client.get(target)
    assert anonymous.status_code == 303
    await sign_in(client, await make_user())
    assert (await client.get(target)).status_code == 403
    await sign_in(client, await make_officer(await make_organisation()))
    assert (await client.get(target)).status_code == 404
    assert (await client.get(url(questionnaire_id, "antworten.csv"))).status_code == 404
    await sign_in(client, await make_user(role=Role.ADMIN))
    assert (await client.get(target)).status_code == 200
    assert (await client.get(url(999999))).status_code == 404


async def test_below_the_officer_minimum_only_counts_and_no_export(client) -> None:
    organisation = await make_organisation()
    _opportunity, questionnaire_id = await feedback_with_answers(organisation, answers=2)
    await sign_in(client, await make_officer(organisation))

    page = flat((await client.get(url(questionnaire_id))).text)
    export = await client.get(url(questionnaire_id, "antworten.csv"))

    assert "Bisher liegen 2 Antworten vor." in page
    assert "Die Auswertung und die Freitexte sehen Sie ab 3 Antworten" in page
    assert "Anmerkung" not in page and "sehr gut" not in page
    assert "antworten.csv" not in page
    assert export.status_code == 303
    assert export.headers["location"] == url(questionnaire_id).rstrip("/") or export.headers[
        "location"
    ] == url(questionnaire_id)


async def test_versions_are_listed_and_chosen_by_number(client) -> None:
    organisation = await make_organisation()
    _opportunity, questionnaire_id = await feedback_with_answers(organisation, answers=3)
    second = await add_version(questionnaire_id, [QuestionSpec("rating", "Wie war es diesmal?")])
    for value in (1, 2, 3):
        await respond(second, [choice(second.questions[0].id, value)])
    await sign_in(client, await make_officer(organisation))

    latest = flat((await client.get(url(questionnaire_id))).text)
    first = flat((await client.get(url(questionnaire_id, "?version=1"))).text)
    missing = await client.get(url(questionnaire_id, "?version=7"))

    assert "Wie war es diesmal?" in latest and "Das Angebot war gut organisiert." not in latest
    assert "Fassung 1</a> (3 Antworten)" in latest
    assert 'aria-current="page"' in latest
    assert "Das Angebot war gut organisiert." in first and "Wie war es diesmal?" not in first
    assert missing.status_code == 404


async def test_free_texts_come_fifty_to_a_page(client) -> None:
    organisation = await make_organisation()
    plan = await new_questionnaire(organisation.id)
    text = plan.questions[-1].id
    for n in range(TEXTS_PER_PAGE + 1):
        await respond(plan, [NewAnswer(text, text=f"Text Nummer {n}.")])
    await sign_in(client, await make_officer(organisation))

    first = flat((await client.get(url(plan.questionnaire_id))).text)
    second = flat((await client.get(url(plan.questionnaire_id, "?version=1&seite=2"))).text)

    assert first.count("Text Nummer") == TEXTS_PER_PAGE
    assert "Text Nummer 0." not in first and f"Text Nummer {TEXTS_PER_PAGE}." in first
    assert "Seite 1 von 2." in first and "seite=2#freitexte" in first
    assert second.count("Text Nummer") == 1 and "Text Nummer 0." in second


async def test_walk_audit_shows_lights_in_words_a_map_and_its_list(client) -> None:
    organisation = await make_organisation()
    plan = await walk_audit(organisation.id)
    await sign_in(client, await make_officer(organisation))

    page = flat((await client.get(url(plan.questionnaire_id))).text)

    assert "Halt 1: Marktplatz" in page and "Halt 3: Bahnhof" in page
    assert "überwiegend erfüllt" in page and "überwiegend nicht erfüllt" in page
    assert "keine Angaben" in page
    assert '<svg viewBox="0 0 400 300" role="img"' in page
    assert '<title id="karte-titel">' in page and '<desc id="karte-beschreibung">' in page
    assert page.count('<g class="walk-map__marker') == 2  # the station has no coordinates
    assert "ohne Koordinaten, nicht auf der Karte" in page
    assert "style=" not in page and "<script" not in page.split("</header>")[-1]


async def test_page_runs_a_fixed_number_of_queries(client, count_queries) -> None:
    organisation = await make_organisation()
    _few, few_id = await feedback_with_answers(organisation, answers=3)
    _many, many_id = await feedback_with_answers(organisation, answers=30)
    await sign_in(client, await make_officer(organisation))

    with count_queries() as small:
        assert (await client.get(url(few_id))).status_code == 200
    with count_queries() as large:
        assert (await client.get(url(many_id))).status_code == 200

    assert small.count == large.count


async def test_bad_query_values_are_refused_not_failed(client) -> None:
    organisation = await make_organisation()
    _opportunity, questionnaire_id = await feedback_with_answers(organisation, answers=3)
    await sign_in(client, await make_officer(organisation))

    for query in ("?version=abc", "?version=0", "?seite=-1", "?seite=x"):
        assert (await client.get(url(questionnaire_id, query))).status_code == 400, query
    assert (await client.get(url(questionnaire_id, "antworten.csv?version=9"))).status_code == 404
