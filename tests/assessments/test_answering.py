"""Answering an assessment: with a verified account through the public link (QR code), and
with an emailed single-use link, page by page, resumable, one answer each, anonymous."""

from __future__ import annotations

from urllib.parse import unquote

from boerse.assessments.tables import AssessmentAccess, AssessmentLink, AssessmentParticipant
from boerse.questionnaires.model import latest_version_id, load_plan
from boerse.questionnaires.tables import Answer, Response, Stop
from tests.assessments.helpers import make_assessment, make_link, pages
from tests.support.factories import make_organisation, make_user, sign_in
from tests.surveys.helpers import question


async def test_account_answers_page_by_page_resumes_and_answers_once(client) -> None:
    assessment = await make_assessment(await make_organisation())
    first, second = await pages(assessment)
    url = f"/mitbewerten/{assessment.slug}/antworten"

    anonymous = await client.get(url)
    assert anonymous.status_code == 303
    assert unquote(anonymous.headers["location"]) == f"/konto/anmelden?next={url}"

    user = await make_user()
    await sign_in(client, user)
    page = await client.get(url)
    assert page.status_code == 200
    assert "Seite 1 von 2" in page.text
    assert "Wo ist Ihr Lieblingsplatz?" in page.text

    saved = await client.submit(url, first)
    assert saved.status_code == 303
    assert saved.headers["location"] == url
    # Closing the page and coming back resumes on page 2.
    resumed = await client.get(url)
    assert "Seite 2 von 2" in resumed.text
    # The back button posting page 1 again stores nothing.
    again = await client.submit(url, first)
    assert again.status_code == 303
    assert await Answer.count() == 2

    done = await client.submit(url, second)
    assert done.status_code == 303
    assert done.headers["location"] == f"/mitbewerten/{assessment.slug}/danke"
    thanks = await client.get(done.headers["location"])
    assert "Vielen Dank" in thanks.text

    response = await Response.objects().first()
    assert response.completed and response.resume_hash is None
    participant = await AssessmentParticipant.objects().first()
    assert (participant.user, participant.completed) == (user.id, True)

    second_try = await client.get(url)
    assert second_try.status_code == 409
    assert "schon geantwortet" in second_try.text
    landing = await client.get(f"/mitbewerten/{assessment.slug}")
    assert "Sie haben schon geantwortet" in landing.text
    assert await Response.count() == 1


async def test_unverified_account_is_told_to_confirm_first(client) -> None:
    assessment = await make_assessment(await make_organisation())
    await sign_in(client, await make_user(verified=False))

    page = await client.get(f"/mitbewerten/{assessment.slug}/antworten")

    assert page.status_code == 403
    assert "bestätigen Sie zuerst" in page.text


async def test_missing_answers_are_shown_with_what_was_typed(client) -> None:
    assessment = await make_assessment(await make_organisation())
    first, _ = await pages(assessment)
    await sign_in(client, await make_user())
    url = f"/mitbewerten/{assessment.slug}/antworten"
    place = next(name for name in first if name not in ("page",))
    typed = {"page": "1", place: "park", f"{place}_text": "am Teich"}

    page = await client.submit(url, typed)

    assert page.status_code == 400
    assert "Bitte prüfen Sie Ihre Eingaben" in page.text
    assert "am Teich" in page.text
    assert await Response.count() == 0


async def test_single_use_link_answers_once(client) -> None:
    assessment = await make_assessment(
        await make_organisation(), title="Jugendzentrum-Check", access=AssessmentAccess.LINK
    )
    token = await make_link(assessment)
    first, second = await pages(assessment)
    url = f"/mitbewerten/{assessment.slug}/{token}"

    page = await client.get(url)
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["referrer-policy"] == "no-referrer"
    assert (await client.submit(url, first)).status_code == 303
    assert "Seite 2 von 2" in (await client.get(url)).text
    done = await client.submit(url, second)
    assert done.headers["location"] == f"/mitbewerten/{assessment.slug}/danke"

    link = await AssessmentLink.objects().first()
    assert link.status == "answered"
    used = await client.get(url)
    assert used.status_code == 410
    assert "schon benutzt" in used.text
    assert (await client.submit(url, first)).status_code == 410
    assert await Response.count() == 1
    response = await Response.objects().first()
    assert response.completed and response.resume_hash is None


async def test_walk_audit_by_link_is_saved_stop_by_stop(client) -> None:
    assessment = await make_assessment(
        await make_organisation(),
        title="Begehung Jugendzentrum",
        access=AssessmentAccess.LINK,
        kind="walk_audit",
        questions=[
            question("checklist", "Ist der Eingang stufenlos?", per_stop=True, required=True),
            question("long_text", "Was sollte sich ändern?"),
        ],
        stops=[{"name": "Eingang"}, {"name": "Werkstatt"}],
    )
    token = await make_link(assessment)
    plan = await load_plan(await latest_version_id(assessment.questionnaire))
    criterion, wish = (q.field_name for q in plan.questions)
    url = f"/mitbewerten/{assessment.slug}/{token}"

    first = await client.get(url)
    assert "Station 1 von 2: Eingang" in first.text
    assert (await client.submit(url, {"page": "1", criterion: "yes"})).status_code == 303
    # A dropped connection loses nothing: the same link continues at the second stop.
    assert "Station 2 von 2: Werkstatt" in (await client.get(url)).text
    assert (await client.submit(url, {"page": "2", criterion: "no"})).status_code == 303
    done = await client.submit(url, {"page": "3", wish: "Eine Rampe zur Werkstatt."})
    assert done.headers["location"] == f"/mitbewerten/{assessment.slug}/danke"

    stops = {row["id"]: row["name"] for row in await Stop.select(Stop.id, Stop.name)}
    stored = await Answer.select(Answer.stop, Answer.choice).where(Answer.stop.is_not_null())
    assert sorted((stops[a["stop"]], a["choice"]) for a in stored) == [
        ("Eingang", "yes"),
        ("Werkstatt", "no"),
    ]
