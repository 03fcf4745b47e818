"""The reply travels by real mail to the participants (not the absent, not those who opted
out), once per update; the opt-out link in the mail works with one click and a POST."""

from __future__ import annotations

import httpx

from boerse.replies.tables import Reply, ReplyOptOut, ReplyStatus
from tests.replies.helpers import FORM, PARTICIPANTS, town_with_participants
from tests.support.factories import sign_in
from tests.support.fixtures import links_in, run_worker
from tests.support.services import Mailbox, body_text


async def test_publish_and_status_change_reach_the_participants(client, mailbox: Mailbox) -> None:
    town = await town_with_participants()
    await sign_in(client, town.officer)
    url = f"/verwaltung/rueckmeldungen/angebot/{town.opportunity.id}/neu"
    assert (await client.submit(url, FORM)).status_code == 303
    reply_id = (await Reply.select(Reply.id).first())["id"]
    await run_worker()
    assert mailbox.messages == []  # a draft mails nobody

    publish = f"/verwaltung/rueckmeldungen/{reply_id}/veroeffentlichen"
    assert (await client.submit(publish)).status_code == 303
    assert (await client.submit(publish)).status_code == 303  # a second click sends nothing
    await run_worker()
    assert sorted(m["To"] for m in mailbox.messages) == PARTICIPANTS
    assert all("Mehr Bänke im Rosental" in s for s in mailbox.subjects())
    text = body_text(mailbox.to("anna@example.org")[0])
    assert "Wir stellen im Frühjahr sechs Bänke auf." in text
    assert f"/wir-haben-gehandelt/{reply_id}" in text
    assert "Guten Tag Anna," in text
    assert "Hello Tom," in body_text(mailbox.to("tom@example.org")[0])  # his language

    opt_out = next(link for link in links_in(text) if "/abbestellen/" in link)
    anna = mailbox.to("anna@example.org")[0]
    assert anna["List-Unsubscribe"] == f"<{opt_out}>"
    assert anna["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = "/" + opt_out.split("/", 3)[3]
    client.cookies.clear()
    page = await client.get(path)
    assert page.status_code == 200
    assert "Keine solchen E-Mails mehr" in page.text
    assert await ReplyOptOut.count() == 0  # opening the page changes nothing
    assert (await client.submit(path)).status_code == 303
    assert await ReplyOptOut.count() == 1
    assert (await client.get(path[:-3] + "abc")).status_code == 404
    assert (await client.get(path.split("?")[0])).status_code == 404  # no key

    mailbox.clear()
    await sign_in(client, town.officer)
    changed = FORM | {"status": ReplyStatus.DONE.value, "status_date": "2026-06-01"}
    assert (
        await client.submit(f"/verwaltung/rueckmeldungen/{reply_id}", changed)
    ).status_code == 303
    await run_worker()
    assert sorted(m["To"] for m in mailbox.messages) == PARTICIPANTS[1:]
    assert "umgesetzt" in body_text(mailbox.to("ben@example.org")[0])


async def test_a_mail_program_unsubscribes_with_one_click(app, client, mailbox: Mailbox) -> None:
    """RFC 8058: a POST of `List-Unsubscribe=One-Click` to the header's link, without
    cookies or CSRF token, answered with 200."""
    town = await town_with_participants()
    await sign_in(client, town.officer)
    url = f"/verwaltung/rueckmeldungen/angebot/{town.opportunity.id}/neu"
    assert (await client.submit(url, FORM)).status_code == 303
    reply_id = (await Reply.select(Reply.id).first())["id"]
    publish = f"/verwaltung/rueckmeldungen/{reply_id}/veroeffentlichen"
    assert (await client.submit(publish)).status_code == 303
    await run_worker()
    link = mailbox.to("anna@example.org")[0]["List-Unsubscribe"].strip("<>")
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as provider:
        response = await provider.post(
            "/" + link.split("/", 3)[3], data={"List-Unsubscribe": "One-Click"}
        )
    assert response.status_code == 200
    assert await ReplyOptOut.count() == 1
