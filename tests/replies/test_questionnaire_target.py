"""A reply to a standalone assessment: written from its questionnaire's results page,
public once published, and mailed to nobody (its respondents are anonymous)."""

from __future__ import annotations

from boerse.lib.db import write_transaction
from boerse.outbox.tables import OutboxEmail
from boerse.questionnaires.assignment import questionnaire_for_opportunity
from boerse.replies.tables import Reply
from tests.assessments.helpers import make_assessment
from tests.replies.helpers import FORM, town_with_participants
from tests.support.factories import make_officer, make_organisation, sign_in


async def test_standalone_assessment_reply_is_public_and_mails_nobody(client) -> None:
    organisation = await make_organisation(name="Stadtplanungsamt")
    assessment = await make_assessment(organisation)
    questionnaire_id = assessment.questionnaire
    await sign_in(client, await make_officer(organisation))
    results = await client.get(f"/verwaltung/frageboegen/{questionnaire_id}/ergebnisse/")
    assert results.status_code == 200
    new = f"/verwaltung/rueckmeldungen/fragebogen/{questionnaire_id}/neu"
    assert new in results.text
    form = await client.get(new)
    assert "Niemand bekommt diese Rückmeldung per E-Mail" in form.text
    assert (await client.submit(new, FORM | {"title": ""})).status_code == 400
    assert (await client.submit(new, FORM)).status_code == 303
    reply = await Reply.select(Reply.id, Reply.questionnaire, Reply.opportunity).first()
    assert (reply["questionnaire"], reply["opportunity"]) == (questionnaire_id, None)
    publish = f"/verwaltung/rueckmeldungen/{reply['id']}/veroeffentlichen"
    assert (await client.submit(publish)).status_code == 303
    assert await OutboxEmail.count() == 0

    await sign_in(client, await make_officer(await make_organisation(name="Anderes Amt")))
    assert (await client.get(new)).status_code == 404
    assert (await client.submit(new, FORM)).status_code == 404
    client.cookies.clear()
    listing = await client.get("/wir-haben-gehandelt/")
    assert "Mehr Bänke im Rosental" in listing.text
    detail = await client.get(f"/wir-haben-gehandelt/{reply['id']}")
    assert detail.status_code == 200
    assert "Stadtplanungsamt" in detail.text


async def test_an_opportunitys_questionnaire_leads_to_the_opportunity_reply(client) -> None:
    town = await town_with_participants()
    async with write_transaction():
        questionnaire_id = await questionnaire_for_opportunity(town.opportunity.id)
    await sign_in(client, town.officer)
    new = await client.get(f"/verwaltung/rueckmeldungen/fragebogen/{questionnaire_id}/neu")
    assert new.status_code == 303
    assert new.headers["location"] == (
        f"/verwaltung/rueckmeldungen/angebot/{town.opportunity.id}/neu"
    )
