"""The demo's assessments: an open account-access campaign with answers and a link-access
youth centre check, written against the demo town's organisations and residents."""

from __future__ import annotations

from boerse.accounts.tables import Role
from boerse.assessments.tables import Assessment, AssessmentLink, AssessmentParticipant
from boerse.demo.assessments import FAVOURITE_PLACE_TITLE, PLACES, demo_assessments
from boerse.lib.db import utcnow
from boerse.questionnaires.tables import Answer, AnswerTally, Question, Response
from tests.support.factories import make_officer, make_organisation, make_user


async def test_demo_campaigns_have_answers_and_the_demo_login_is_left_free(client) -> None:
    planning = await make_organisation(name="Stadtplanungsamt")
    youth = await make_organisation(name="Jugendamt")
    await make_officer(planning)
    await make_officer(youth)
    residents = [await make_user(role=Role.RESIDENT) for _ in range(5)]
    demo_login = await make_user(email="anna.weber@post.example")

    await demo_assessments(utcnow())

    rows = {row["title"]: row for row in await Assessment.select()}
    favourite = rows[FAVOURITE_PLACE_TITLE]
    assert favourite["access"] == "account"
    participants = await AssessmentParticipant.select(AssessmentParticipant.user)
    assert {p["user"] for p in participants} == {r.id for r in residents}
    assert demo_login.id not in {p["user"] for p in participants}
    assert await Response.count().where(Response.questionnaire == favourite["questionnaire"]) == 5
    place = await Question.select(Question.id).where(Question.kind == "place").first()
    chosen = {a["choice"] for a in await Answer.select().where(Answer.question == place["id"])}
    assert chosen <= {key for key, _label in PLACES}
    tallied = await AnswerTally.select().where(AnswerTally.question == place["id"])
    assert sum(t["answers"] for t in tallied) == 5

    youth_row = next(row for title, row in rows.items() if "Jugendzentrum" in title)
    assert youth_row["access"] == "link"
    assert await AssessmentLink.count() == 14
    assert await AssessmentLink.count().where(AssessmentLink.status == "answered") == 6
    assert await Response.count().where(Response.questionnaire == youth_row["questionnaire"]) == 6

    landing = await client.get(f"/mitbewerten/{favourite['slug']}")
    assert landing.status_code == 200
    listing = await client.get("/mitbewerten")
    assert FAVOURITE_PLACE_TITLE in listing.text
