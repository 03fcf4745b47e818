"""The single-use link travels by real mail: queued by the officer's form, delivered by the
real worker over SMTP, opened and answered, and then used up."""

from __future__ import annotations

from boerse.assessments.tables import AssessmentAccess, AssessmentLink
from boerse.questionnaires.tables import Response
from tests.assessments.helpers import make_assessment, pages
from tests.support.factories import make_officer, make_organisation, sign_in
from tests.support.fixtures import links_in, run_worker
from tests.support.services import Mailbox, body_text


async def test_emailed_link_answers_once(client, mailbox: Mailbox) -> None:
    organisation = await make_organisation(name="Jugendzentrum Mitte")
    assessment = await make_assessment(
        organisation, title="Wie gut ist unser Jugendzentrum?", access=AssessmentAccess.LINK
    )
    await sign_in(client, await make_officer(organisation))

    sent = await client.submit(
        f"/verwaltung/mitbewerten/{assessment.id}/einladen",
        {"addresses": "jonas@example.org\nmila@example.org"},
    )
    assert sent.status_code == 303
    await run_worker()

    assert sorted(m["To"] for m in mailbox.messages) == ["jonas@example.org", "mila@example.org"]
    assert all("Wie gut ist unser Jugendzentrum?" in s for s in mailbox.subjects())
    text = body_text(mailbox.to("jonas@example.org")[0])
    assert "Jugendzentrum Mitte" in text
    link = next(url for url in links_in(text) if f"/mitbewerten/{assessment.slug}/" in url)
    path = "/" + link.split("/", 3)[3]
    token = path.rsplit("/", 1)[1]
    assert await AssessmentLink.count().where(AssessmentLink.token_hash == token) == 0

    client.cookies.clear()  # the respondent is not the officer and needs no account
    first, second = await pages(assessment)
    assert (await client.get(path)).status_code == 200
    assert (await client.submit(path, first)).status_code == 303
    done = await client.submit(path, second)
    assert done.headers["location"] == f"/mitbewerten/{assessment.slug}/danke"
    assert (await client.get(path)).status_code == 410
    assert await Response.count().where(Response.completed.eq(True)) == 1
    other = body_text(mailbox.to("mila@example.org")[0])
    other_link = next(url for url in links_in(other) if "/mitbewerten/" in url)
    assert other_link != link
    assert (await client.get("/" + other_link.split("/", 3)[3])).status_code == 200
