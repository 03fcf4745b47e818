"""The officer's pages: compose (bad input kept, German errors, nothing sent), the sent list
and a copy; other organisations and residents are refused; a form sent twice sends once."""

from __future__ import annotations

from boerse.audit.tables import AuditEntry
from boerse.messages.schemas import BODY_LIMIT
from boerse.messages.tables import Message
from boerse.outbox.tables import OutboxEmail
from tests.messages.helpers import FORM, compose_url, town
from tests.support.factories import make_officer, make_organisation, make_user, sign_in

KEY = "k" * 24


def _form(**values: str) -> dict[str, str]:
    return {"audience": "upcoming", "session": "", "key": KEY, **FORM, **values}


async def test_officer_pages_link_to_writing_and_to_the_sent_list(client) -> None:
    t = await town()
    await sign_in(client, t.officer)
    overview = await client.get(f"/verwaltung/angebote/{t.opportunity.id}")
    assert compose_url(t) in overview.text
    assert f'/verwaltung/nachrichten/angebot/{t.opportunity.id}"' in overview.text
    page = await client.get(compose_url(t) + f"?termin={t.first.id}")
    assert page.status_code == 200
    assert "Nachricht an Teilnehmende" in page.text
    assert f'<option value="{t.first.id}" selected' in page.text
    assert "(vorbei)" in page.text  # the past date can be written to, and says so
    participants = await client.get(f"/verwaltung/termine/{t.first.id}/teilnehmende")
    assert f"{compose_url(t)}?termin={t.first.id}" in participants.text
    empty = await client.get(f"/verwaltung/nachrichten/angebot/{t.opportunity.id}")
    assert empty.status_code == 200
    assert "Noch keine Nachrichten verschickt." in empty.text


async def test_sending_keeps_a_copy_listed_with_the_counts(client) -> None:
    t = await town()
    await sign_in(client, t.officer)
    response = await client.submit(compose_url(t), _form())
    assert response.status_code == 303
    message = await Message.objects().first()
    assert response.headers["location"] == f"/verwaltung/nachrichten/{message.id}"
    assert (message.recipient_count, message.skipped_count) == (3, 1)
    assert (message.subject, message.audience, message.sender_name) == (
        FORM["subject"],
        "upcoming",
        "Olaf Amt",
    )
    detail = await client.get(response.headers["location"])
    assert "An 3 Personen verschickt." in detail.text
    assert "1 Person hat solche Nachrichten abbestellt" in detail.text
    assert "Bitte Handschuhe mitbringen." in detail.text
    listed = await client.get(f"/verwaltung/nachrichten/angebot/{t.opportunity.id}")
    assert "Treffpunkt geändert" in listed.text
    assert "Alle Angemeldeten der kommenden Termine" in listed.text
    # The audit names the offer and the count, never the text.
    entry = await AuditEntry.objects().where(AuditEntry.action == "participants_messaged").first()
    assert entry.target_id == t.opportunity.id and entry.quantity == 3
    assert "Handschuhe" not in entry.summary and "Treffpunkt" not in entry.summary


async def test_the_same_form_sent_twice_sends_once(client) -> None:
    t = await town()
    await sign_in(client, t.officer)
    first = await client.submit(compose_url(t), _form())
    again = await client.submit(compose_url(t), _form())
    assert first.headers["location"] == again.headers["location"]
    assert await Message.count() == 1
    assert await OutboxEmail.count() == 4  # three recipients and the copy


async def test_bad_input_is_shown_again_with_what_was_typed(client) -> None:
    t = await town()
    await sign_in(client, t.officer)
    cases = [
        (_form(subject=""), "Bitte geben Sie einen Betreff ein."),
        (_form(subject="x" * 121), "Der Betreff ist zu lang: höchstens 120 Zeichen."),
        (_form(body="   "), "Bitte schreiben Sie Ihre Nachricht."),
        (
            _form(body="a" * (BODY_LIMIT + 1)),
            "höchstens 10.000 Zeichen, Sie haben 10.001 geschrieben",
        ),
        (_form(audience="session"), "Bitte wählen Sie den Termin, an dessen Angemeldete"),
        (
            _form(audience="session", session="999999"),
            "Bitte wählen Sie einen Termin aus der Liste.",
        ),
        (_form(audience="alle"), "Bitte wählen Sie einen Eintrag aus der Liste."),
        (
            _form(audience="waitlist", session=str(t.second.id)),
            "Für diese Auswahl ist niemand angemeldet.",
        ),
    ]
    for data, error in cases:
        response = await client.submit(compose_url(t), data)
        assert response.status_code == 400, data
        assert error in response.text
        assert (
            "Bitte prüfen Sie Ihre Eingaben" in response.text
            or "erreicht niemanden" in response.text
        )
        if data["subject"]:
            assert data["subject"][:50] in response.text  # the typed values are kept
        if data["body"].strip():
            assert data["body"][:40] in response.text
    assert await Message.count() == 0
    assert await OutboxEmail.count() == 0


async def test_everyone_opted_out_is_a_clear_error(client) -> None:
    t = await town()
    await sign_in(client, t.officer)
    for name in ("anna", "ben"):
        t.people[name].messages_ok = False
        await t.people[name].save()
    response = await client.submit(
        compose_url(t), _form(audience="session", session=str(t.first.id))
    )
    assert response.status_code == 400
    assert "Alle Personen dieser Auswahl haben Nachrichten abbestellt." in response.text
    assert await Message.count() == 0


async def test_others_are_refused(client) -> None:
    t = await town()
    await sign_in(client, t.officer)
    await client.submit(compose_url(t), _form())
    message_id = (await Message.select(Message.id).first())["id"]
    stranger = await make_officer(await make_organisation(name="Fremdes Amt"))
    await sign_in(client, stranger)
    assert (await client.get(compose_url(t))).status_code == 403
    assert (await client.submit(compose_url(t), _form(key="z" * 24))).status_code == 403
    assert (await client.get(f"/verwaltung/nachrichten/{message_id}")).status_code == 403
    assert (
        await client.get(f"/verwaltung/nachrichten/angebot/{t.opportunity.id}")
    ).status_code == 403
    assert (await client.get("/verwaltung/nachrichten/999999")).status_code == 404
    await sign_in(client, await make_user())
    assert (await client.get(compose_url(t))).status_code in (401, 403)
    client.cookies.clear()
    refused = await client.get(f"/verwaltung/nachrichten/{message_id}")
    assert refused.status_code in (302, 303, 401, 403)
    assert await Message.count() == 1


async def test_the_sent_list_runs_a_fixed_number_of_queries(client, count_queries) -> None:
    t = await town()
    await sign_in(client, t.officer)
    url = f"/verwaltung/nachrichten/angebot/{t.opportunity.id}"
    await client.submit(compose_url(t), _form(key="a" * 24))
    with count_queries() as one:
        assert (await client.get(url)).status_code == 200
    for letter in "bcd":
        await client.submit(compose_url(t), _form(key=letter * 24))
    with count_queries() as four:
        page = await client.get(url)
    assert page.text.count("Treffpunkt geändert") == 4
    assert four.count == one.count
