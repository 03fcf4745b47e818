"""The survey behind a personal link: the opportunity's questionnaire answered page by page,
anonymously, resumable from the same link, used up on the last page, with clear dead ends."""

from __future__ import annotations

import datetime as dt

from boerse.questionnaires.answering import resume_hash
from boerse.questionnaires.tables import Answer, AnswerTally, Response
from boerse.surveys.tables import InvitationStatus, SurveyInvitation
from tests.support.factories import make_opportunity, make_organisation
from tests.surveys.helpers import (
    answer_form,
    make_invitation,
    make_questionnaire,
    make_signup,
    opportunity_plan,
    past_session,
    question,
)


async def open_invitation(title: str = "Spielplatz-Check", **kwargs) -> tuple[str, int]:
    opportunity = await make_opportunity(await make_organisation(), title=title)
    signup = await make_signup(await past_session(opportunity))
    return await make_invitation(signup, **kwargs), opportunity.id


async def test_link_shows_title_date_and_every_question(client) -> None:
    token, _ = await open_invitation("Spielplatz-Check")

    response = await client.get(f"/umfrage/{token}")

    assert response.status_code == 200
    page = response.text
    assert "Wie war es?" in page
    assert "Spielplatz-Check" in page
    assert "Das Angebot war gut organisiert." in page
    assert "Meine Mitwirkung hat etwas bewirkt." in page
    assert "Ich würde anderen empfehlen mitzumachen." in page
    assert "Frage 1 von 5" in page and "Frage 5 von 5" in page
    assert '<strong class="answer-option__symbol">1</strong> – sehr schlecht</label>' in page
    assert (
        '<strong class="answer-option__symbol" aria-hidden="true">++</strong> trifft voll zu'
        in page
    )
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["referrer-policy"] == "no-referrer"


async def test_answer_is_stored_anonymously_and_the_link_is_used_up(client) -> None:
    token, opportunity_id = await open_invitation()
    await client.get(f"/umfrage/{token}")
    plan = await opportunity_plan(opportunity_id)

    response = await client.submit(f"/umfrage/{token}", answer_form(plan))

    assert response.status_code == 303
    assert response.headers["location"] == "/umfrage/danke"
    thanks = await client.get("/umfrage/danke")
    assert "Vielen Dank für Ihre Rückmeldung" in thanks.text
    stored = await Response.select().first()
    assert (stored["opportunity"], stored["version"], stored["completed"]) == (
        opportunity_id,
        plan.version_id,
        True,
    )
    assert stored["resume_hash"] is None
    # Kept to the day, so the time cannot tie the answer to the invitation and the person.
    assert stored["submitted_at"].time() == dt.time(0, 0)
    answers = {
        row["question"]: (row["choice"], row["text"])
        for row in await Answer.select(Answer.question, Answer.choice, Answer.text)
    }
    ids = [q.id for q in plan.questions]
    assert answers == {
        ids[0]: ("5", None),
        ids[1]: ("4", None),
        ids[2]: ("3", None),
        ids[3]: ("4", None),
        ids[4]: (None, "Gerne wieder!"),
    }
    assert await AnswerTally.count() == 5
    invitation = await SurveyInvitation.objects().first()
    assert invitation.status == InvitationStatus.ANSWERED
    assert (await client.get(f"/umfrage/{token}")).status_code == 410


async def test_double_submit_stores_once(client) -> None:
    token, opportunity_id = await open_invitation()
    plan = await opportunity_plan(opportunity_id)

    first = await client.submit(f"/umfrage/{token}", answer_form(plan))
    second = await client.submit(f"/umfrage/{token}", answer_form(plan, a0="1"))

    assert first.status_code == 303
    assert second.status_code == 410
    assert "bereits beantwortet" in second.text
    assert await Response.count() == 1
    assert await Answer.count() == 5
    assert (await Answer.select(Answer.choice).where(Answer.question == plan.questions[0].id))[0][
        "choice"
    ] == "5"


async def test_missing_answers_are_listed_and_typed_values_kept(client) -> None:
    token, opportunity_id = await open_invitation()
    plan = await opportunity_plan(opportunity_id)
    q = [question.field_name for question in plan.questions]

    response = await client.submit(
        f"/umfrage/{token}",
        {"page": "1", q[0]: "4", q[2]: "2", q[4]: "Zu früh am Morgen"},
    )

    assert response.status_code == 400
    page = response.text
    assert "Bitte prüfen Sie Ihre Eingaben" in page
    assert f'href="#f-{q[1]}">Das Angebot war gut organisiert.: Bitte beantworten' in page
    assert f'href="#f-{q[3]}">Ich würde anderen empfehlen mitzumachen.: Bitte' in page
    assert f'name="{q[0]}" value="4" checked' in page
    assert f'name="{q[2]}" value="2" checked' in page
    assert page.count(" checked") == 2
    assert "Zu früh am Morgen</textarea>" in page
    assert await Response.count() == 0
    assert (await SurveyInvitation.objects().first()).status == InvitationStatus.SENT


async def test_values_outside_the_scale_and_overlong_comments_are_refused(client) -> None:
    token, opportunity_id = await open_invitation()
    plan = await opportunity_plan(opportunity_id)

    response = await client.submit(f"/umfrage/{token}", answer_form(plan, a0="9", a4="x" * 2001))

    assert response.status_code == 400
    assert "Bitte wählen Sie eine der angebotenen Antworten." in response.text
    assert "Bitte höchstens 2000 Zeichen eingeben." in response.text
    assert await Response.count() == 0


async def test_unknown_link_is_a_clear_404(client) -> None:
    await open_invitation()

    shown = await client.get("/umfrage/ausgedacht")
    posted = await client.submit("/umfrage/ausgedacht", {"page": "1"})
    tampered = await client.get("/umfrage/" + "x" * 200)

    assert shown.status_code == posted.status_code == tampered.status_code == 404
    assert "Link ungültig" in shown.text
    assert await Response.count() == 0


async def test_expired_link_is_gone_and_records_nothing(client) -> None:
    token, opportunity_id = await open_invitation(expires_in=dt.timedelta(minutes=-1))
    plan = await opportunity_plan(opportunity_id)

    shown = await client.get(f"/umfrage/{token}")
    posted = await client.submit(f"/umfrage/{token}", answer_form(plan))

    assert shown.status_code == posted.status_code == 410
    assert "Umfrage abgelaufen" in shown.text
    assert await Response.count() == 0
    assert (await SurveyInvitation.objects().first()).status == InvitationStatus.SENT


async def test_used_link_says_so(client) -> None:
    token, _ = await open_invitation(status=InvitationStatus.ANSWERED)

    response = await client.get(f"/umfrage/{token}")

    assert response.status_code == 410
    assert "Umfrage bereits beantwortet" in response.text


async def walk_invitation() -> tuple[str, int]:
    """A link whose invitation names a two-stop walk audit with a closing question."""
    opportunity = await make_opportunity(await make_organisation(), title="Begehung Altstadt")
    questionnaire_id = await make_questionnaire(
        [
            question("checklist", "Gibt es Sitzplätze?", required=True, per_stop=True),
            question("long_text", "Was ist Ihnen noch aufgefallen?"),
        ],
        kind="walk_audit",
        title="Begehung",
        stops=[{"name": "Marktplatz", "address": "Markt 1"}, {"name": "Bahnhof"}],
        opportunity=opportunity,
    )
    signup = await make_signup(await past_session(opportunity))
    return await make_invitation(signup, questionnaire=questionnaire_id), opportunity.id


async def test_a_walk_audit_saves_each_stop_and_resumes_from_the_same_link(client) -> None:
    token, opportunity_id = await walk_invitation()
    plan = await opportunity_plan(opportunity_id)
    checklist, closing = plan.questions
    url = f"/umfrage/{token}"

    first = await client.get(url)
    assert "Station 1 von 2: Marktplatz" in first.text and "Seite 1 von 3" in first.text
    saved = await client.submit(url, {"page": "1", checklist.field_name: "yes"})
    assert saved.status_code == 303 and saved.headers["location"] == url

    # The page is closed; the same link opens at the next stop.
    resumed = await client.get(url)
    assert "Station 2 von 2: Bahnhof" in resumed.text and "Seite 2 von 3" in resumed.text
    again = await client.submit(url, {"page": "1", checklist.field_name: "no"})
    assert again.status_code == 303  # the first stop was saved already: nothing stored
    assert await Answer.count() == 1
    ahead = await client.submit(url, {"page": "3", closing.field_name: "Zu früh"})
    assert ahead.status_code == 303 and await Answer.count() == 1

    await client.submit(url, {"page": "2", checklist.field_name: "na"})
    done = await client.submit(url, {"page": "3", closing.field_name: "Gut beschildert."})
    assert done.headers["location"] == "/umfrage/danke"
    stops = sorted(
        (row["stop"], row["choice"])
        for row in await Answer.select().where(Answer.stop.is_not_null())
    )
    assert stops == [(plan.stops[0].id, "yes"), (plan.stops[1].id, "na")]
    assert not await Response.exists().where(Response.resume_hash == resume_hash(token))
    assert (await SurveyInvitation.objects().first()).status == InvitationStatus.ANSWERED


async def test_a_page_with_errors_at_a_stop_keeps_the_saved_stops(client) -> None:
    token, _ = await walk_invitation()
    url = f"/umfrage/{token}"
    plan_page = await client.get(url)
    assert plan_page.status_code == 200
    refused = await client.submit(url, {"page": "1"})
    assert refused.status_code == 400
    assert "Bitte beantworten Sie diese Frage." in refused.text
    assert await Response.count() == 0


async def test_the_survey_page_costs_a_fixed_number_of_queries(client, count_queries) -> None:
    token, opportunity_id = await open_invitation()
    await opportunity_plan(opportunity_id)  # the questionnaire exists, as after the fan-out
    await client.get(f"/umfrage/{token}")

    with count_queries() as counted:
        response = await client.get(f"/umfrage/{token}")

    assert response.status_code == 200
    assert counted.count <= 7, counted.count


async def test_nothing_in_the_stored_answers_joins_them_to_the_invitation(client) -> None:
    """Anonymity: no column of a response or an answer points to a person or an invitation,
    and no stored value repeats the invitation's token hash or exact time."""
    from boerse.accounts.tables import User
    from boerse.opportunities.tables import SignUp

    token, opportunity_id = await open_invitation()
    plan = await opportunity_plan(opportunity_id)
    await client.submit(f"/umfrage/{token}", {"page": "1"} | answer_form(plan))
    for table in (Response, Answer):
        targets = {
            fk._foreign_key_meta.resolved_references for fk in table._meta.foreign_key_columns
        }
        assert not targets & {User, SignUp, SurveyInvitation}
    invitation = await SurveyInvitation.select().first()
    stored = {str(v) for row in await Response.select() for v in row.values()}
    stored |= {str(v) for row in await Answer.select() for v in row.values()}
    assert invitation["token_hash"] not in stored
    assert str(invitation["created_at"]) not in stored
    assert resume_hash(token) not in stored


async def test_tampered_pages_and_values_never_fail(client) -> None:
    """Odd page numbers go back to where the link stands; odd values are messages."""
    token, opportunity_id = await open_invitation()
    plan = await opportunity_plan(opportunity_id)
    url = f"/umfrage/{token}"
    for page in ("", "0", "2", "-1", "abc", "9" * 40, "1.5"):
        response = await client.submit(url, answer_form(plan) | {"page": page})
        assert response.status_code == 303, page
        assert response.headers["location"] == url
    weird = {q.field_name: "\x00<script>" for q in plan.questions}
    response = await client.submit(url, {"page": "1", **weird, "q999999": "x"})
    assert response.status_code == 400
    assert "<script>" not in response.text
    assert await Response.count() == 0
    assert (await client.get("/umfrage/%00%ff")).status_code == 404


async def test_a_nul_character_in_a_free_text_is_dropped(client) -> None:
    """PostgreSQL refuses NUL in text: it must not turn an answer into an error page."""
    token, opportunity_id = await open_invitation()
    plan = await opportunity_plan(opportunity_id)

    response = await client.submit(f"/umfrage/{token}", answer_form(plan, a4="Gut\x00 so"))

    assert response.status_code == 303
    (row,) = await Answer.select(Answer.text).where(Answer.text.is_not_null())
    assert row["text"] == "Gut so"
