"""The officer's pages (write, bad input, publish, status) and the public pages: drafts
are never public, published replies show under the results even when those are hidden."""

from __future__ import annotations

from boerse.replies import services
from boerse.replies.tables import Reply, ReplyStatus
from tests.replies.helpers import FORM, reply_data, town_with_participants
from tests.support.factories import make_officer, make_organisation, sign_in


async def _created(client, town) -> int:
    await sign_in(client, town.officer)
    response = await client.submit(
        f"/verwaltung/rueckmeldungen/angebot/{town.opportunity.id}/neu", FORM
    )
    assert response.status_code == 303
    return (await Reply.select(Reply.id).first())["id"]


async def test_officer_results_link_to_writing_a_reply(client) -> None:
    town = await town_with_participants()
    await sign_in(client, town.officer)
    page = await client.get(f"/verwaltung/angebote/{town.opportunity.id}/ergebnisse")
    assert page.status_code == 200
    assert "Rückmeldung an die Teilnehmenden schreiben" in page.text
    assert f"/verwaltung/rueckmeldungen/angebot/{town.opportunity.id}/neu" in page.text
    form = await client.get(f"/verwaltung/rueckmeldungen/angebot/{town.opportunity.id}/neu")
    assert form.status_code == 200
    assert "Parkpflege im Rosental" in form.text


async def test_bad_input_is_shown_again_with_what_was_typed(client) -> None:
    town = await town_with_participants()
    await sign_in(client, town.officer)
    url = f"/verwaltung/rueckmeldungen/angebot/{town.opportunity.id}/neu"
    typed = FORM | {"changes": "", "status": "erledigt", "status_date": "31.02.2026"}
    response = await client.submit(url, typed)
    assert response.status_code == 400
    assert "Bitte prüfen Sie Ihre Eingaben" in response.text
    assert "Mehr Bänke im Rosental" in response.text
    assert "Viele wünschen sich Sitzplätze im Schatten." in response.text
    assert "31.02.2026" in response.text
    assert await Reply.count() == 0
    reply_id = await _created(client, town)
    edit = f"/verwaltung/rueckmeldungen/{reply_id}"
    bad = await client.submit(edit, FORM | {"title": "x" * 151})
    assert bad.status_code == 400
    assert (await Reply.select(Reply.title).first())["title"] == FORM["title"]


async def test_officer_of_another_organisation_is_refused(client) -> None:
    town = await town_with_participants()
    reply_id = await _created(client, town)
    await sign_in(client, await make_officer(await make_organisation(name="Fremdes Amt")))
    assert (await client.get(f"/verwaltung/rueckmeldungen/{reply_id}")).status_code == 403
    refused = await client.submit(f"/verwaltung/rueckmeldungen/{reply_id}/veroeffentlichen")
    assert refused.status_code == 403
    url = f"/verwaltung/rueckmeldungen/angebot/{town.opportunity.id}/neu"
    assert (await client.submit(url, FORM)).status_code == 403
    assert not (await Reply.select(Reply.published).first())["published"]


async def test_drafts_are_never_public_published_ones_are(client) -> None:
    town = await town_with_participants()
    reply_id = await _created(client, town)
    client.cookies.clear()
    assert (await client.get(f"/wir-haben-gehandelt/{reply_id}")).status_code == 404
    assert "Mehr Bänke" not in (await client.get("/wir-haben-gehandelt/")).text
    assert "Mehr Bänke" not in (await client.get(f"/ergebnisse/{town.opportunity.id}")).text

    await sign_in(client, town.officer)
    published = await client.submit(f"/verwaltung/rueckmeldungen/{reply_id}/veroeffentlichen")
    assert published.status_code == 303
    changed = FORM | {"status": ReplyStatus.IN_PROGRESS.value, "status_date": "2026-05-02"}
    assert (
        await client.submit(f"/verwaltung/rueckmeldungen/{reply_id}", changed)
    ).status_code == 303

    client.cookies.clear()
    detail = await client.get(f"/wir-haben-gehandelt/{reply_id}")
    assert detail.status_code == 200
    assert "Wir stellen im Frühjahr sechs Bänke auf." in detail.text
    assert "in Umsetzung" in detail.text
    assert "Verlauf" in detail.text and "geplant" in detail.text  # publication, then change
    assert "Mehr Bänke im Rosental" in (await client.get("/wir-haben-gehandelt/")).text
    # No answers at all: the results stay hidden, the reply (not an answer) is shown.
    results = await client.get(f"/ergebnisse/{town.opportunity.id}")
    assert "Noch nicht genug Antworten" in results.text
    assert "Mehr Bänke im Rosental" in results.text


async def test_the_public_list_runs_a_fixed_number_of_queries(client, count_queries) -> None:
    town = await town_with_participants()

    async def publish(n: int) -> None:
        for _ in range(n):
            reply_id = await services.create_reply(
                reply_data(), town.officer.id, opportunity_id=town.opportunity.id
            )
            await services.publish_reply(await services.reply_row(reply_id))

    await publish(1)
    with count_queries() as one:
        assert (await client.get("/wir-haben-gehandelt/")).status_code == 200
    await publish(4)
    with count_queries() as five:
        page = await client.get("/wir-haben-gehandelt/")
    assert page.text.count("Mehr Bänke im Rosental") == 5
    assert five.count == one.count
