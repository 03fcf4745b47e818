"""The survey page behind a personal link: answer once, anonymously, with clear dead ends."""

from __future__ import annotations

import datetime as dt

from boerse.surveys.tables import InvitationStatus, SurveyInvitation, SurveyResponse
from tests.support.factories import make_opportunity, make_organisation
from tests.surveys.helpers import answer_form, make_invitation, make_signup, past_session


async def open_invitation(title: str = "Spielplatz-Check", **kwargs) -> tuple[str, int]:
    opportunity = await make_opportunity(await make_organisation(), title=title)
    signup = await make_signup(await past_session(opportunity))
    return await make_invitation(signup, **kwargs), opportunity.id


async def test_link_shows_title_date_and_every_question(client) -> None:
    token, _ = await open_invitation("Spielplatz-Check")

    response = await client.get(f"/umfrage/{token}")

    assert response.status_code == 200
    page = response.text
    assert "Spielplatz-Check" in page
    assert "Das Angebot war gut organisiert." in page
    assert "Meine Mitwirkung hat etwas bewirkt." in page
    assert "Ich würde anderen empfehlen mitzumachen." in page
    assert "<strong>1</strong> – sehr schlecht</label>" in page
    assert "<strong>5</strong> – sehr gut</label>" in page
    assert '<strong aria-hidden="true">++</strong> trifft voll zu</label>' in page
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["referrer-policy"] == "no-referrer"


async def test_answer_is_stored_anonymously_and_the_link_is_used_up(client) -> None:
    token, opportunity_id = await open_invitation()

    response = await client.submit(f"/umfrage/{token}", answer_form())

    assert response.status_code == 303
    assert response.headers["location"] == "/umfrage/danke"
    thanks = await client.get("/umfrage/danke")
    assert "Vielen Dank für Ihre Rückmeldung" in thanks.text
    stored = await SurveyResponse.select().first()
    assert stored["opportunity"] == opportunity_id
    assert (
        stored["overall_rating"],
        stored["statement_well_organised"],
        stored["statement_made_difference"],
        stored["statement_would_recommend"],
    ) == (5, 4, 3, 4)
    assert stored["comment"] == "Gerne wieder!"
    # Kept to the day, so the time cannot tie the answer to the invitation and the person.
    assert stored["submitted_at"].time() == dt.time(0, 0)
    invitation = await SurveyInvitation.objects().first()
    assert invitation.status == InvitationStatus.ANSWERED


async def test_double_submit_stores_once(client) -> None:
    token, _ = await open_invitation()

    first = await client.submit(f"/umfrage/{token}", answer_form())
    second = await client.submit(f"/umfrage/{token}", answer_form(overall_rating="1"))

    assert first.status_code == 303
    assert second.status_code == 410
    assert "bereits beantwortet" in second.text
    assert await SurveyResponse.count() == 1
    assert (await SurveyResponse.select(SurveyResponse.overall_rating).first())[
        "overall_rating"
    ] == 5


async def test_missing_answers_are_listed_and_typed_values_kept(client) -> None:
    token, _ = await open_invitation()

    response = await client.submit(
        f"/umfrage/{token}",
        {"overall_rating": "4", "statement_made_difference": "2", "comment": "Zu früh am Morgen"},
    )

    assert response.status_code == 400
    page = response.text
    assert "Bitte prüfen Sie Ihre Eingaben" in page
    assert "Bitte beantworten Sie: Das Angebot war gut organisiert." in page
    assert "Bitte beantworten Sie: Ich würde anderen empfehlen mitzumachen." in page
    assert 'name="overall_rating" value="4" checked' in page
    assert 'name="statement_made_difference" value="2" checked' in page
    assert page.count(" checked") == 2
    assert "Zu früh am Morgen</textarea>" in page
    assert await SurveyResponse.count() == 0
    assert (await SurveyInvitation.objects().first()).status == InvitationStatus.SENT


async def test_values_outside_the_scale_and_overlong_comments_are_refused(client) -> None:
    token, _ = await open_invitation()

    response = await client.submit(
        f"/umfrage/{token}", answer_form(overall_rating="9", comment="x" * 2001)
    )

    assert response.status_code == 400
    assert "Bitte wählen Sie eine der angebotenen Antworten." in response.text
    assert "Bitte höchstens 2000 Zeichen eingeben." in response.text
    assert await SurveyResponse.count() == 0


async def test_unknown_link_is_a_clear_404(client) -> None:
    await open_invitation()

    shown = await client.get("/umfrage/ausgedacht")
    posted = await client.submit("/umfrage/ausgedacht", answer_form())

    assert shown.status_code == posted.status_code == 404
    assert "Link ungültig" in shown.text
    assert await SurveyResponse.count() == 0


async def test_expired_link_is_gone_and_records_nothing(client) -> None:
    token, _ = await open_invitation(expires_in=dt.timedelta(minutes=-1))

    shown = await client.get(f"/umfrage/{token}")
    posted = await client.submit(f"/umfrage/{token}", answer_form())

    assert shown.status_code == posted.status_code == 410
    assert "Umfrage abgelaufen" in shown.text
    assert await SurveyResponse.count() == 0
    assert (await SurveyInvitation.objects().first()).status == InvitationStatus.SENT


async def test_used_link_says_so(client) -> None:
    token, _ = await open_invitation(status=InvitationStatus.ANSWERED)

    response = await client.get(f"/umfrage/{token}")

    assert response.status_code == 410
    assert "Umfrage bereits beantwortet" in response.text
