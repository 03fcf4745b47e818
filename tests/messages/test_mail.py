"""The message travels by real mail: one mail per person with only their address, in their
language around the officer's words (escaped in HTML), a copy to the sender; the link in
every mail switches such messages off without logging in."""

from __future__ import annotations

from email.message import Message as MailMessage

import httpx

from boerse.accounts.tables import User
from boerse.messages.services import opt_out_url
from tests.messages.helpers import FORM, compose_url, town
from tests.support.factories import sign_in
from tests.support.fixtures import links_in, run_worker
from tests.support.services import Mailbox, body_text

ONE_CLICK = {"List-Unsubscribe": "One-Click"}


def body_html(message: MailMessage) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/html":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    return ""


async def _send(client, t, **values: str) -> None:
    await sign_in(client, t.officer)
    data = {"audience": "upcoming", "session": "", "key": "m" * 24, **FORM, **values}
    assert (await client.submit(compose_url(t), data)).status_code == 303
    await run_worker()


async def test_each_recipient_gets_an_own_mail_the_sender_a_copy(client, mailbox: Mailbox) -> None:
    t = await town()
    await _send(client, t)
    recipients = sorted(m["To"] for m in mailbox.messages)
    assert recipients == [
        "amt@example.org",
        "anna@example.org",
        "ben@example.org",  # on both dates ahead, written to once
        "tom@example.org",
    ]
    for mail in mailbox.messages:  # nobody sees anybody else's address
        assert len(mail.get_all("To")) == 1 and "," not in mail["To"]
        assert mail.get_all("Cc") is None and mail.get_all("Bcc") is None
    anna = mailbox.to("anna@example.org")[0]
    text = body_text(anna)
    assert "Guten Tag Anna," in text
    assert "Grünflächenamt schreibt Ihnen zu „Parkpflege im Rosental“" in text
    assert "Wir treffen uns am Nordeingang." in text
    assert "Sie bekommen diese Nachricht, weil Sie angemeldet sind." in text
    assert "gruen@example.org" in text
    for other in ("ben@", "tom@", "olga@"):
        assert other not in text and other not in body_html(anna)
    subjects = dict(zip([m["To"] for m in mailbox.messages], mailbox.subjects(), strict=True))
    assert subjects["anna@example.org"] == "Parkpflege im Rosental: Treffpunkt geändert"
    # Our words in Tom's language, the officer's as written.
    tom = body_text(mailbox.to("tom@example.org")[0])
    assert "Hello Tom," in tom and "Wir treffen uns am Nordeingang." in tom
    copy = body_text(mailbox.to("amt@example.org")[0])
    assert "Verschickt an 3 Personen." in copy
    assert "1 Person hat solche Nachrichten abbestellt" in copy
    assert "Bitte Handschuhe mitbringen." in copy
    assert subjects["amt@example.org"] == "Ihre Nachricht an Teilnehmende: Treffpunkt geändert"


async def test_the_officers_text_is_escaped_in_html(client, mailbox: Mailbox) -> None:
    t = await town()
    body = 'Hallo <script>alert("x")</script> & {title} %(num)s\nzweite Zeile'
    await _send(client, t, subject="<b>Achtung</b> {subject}", body=body)
    assert "Parkpflege im Rosental: <b>Achtung</b> {subject}" in mailbox.subjects()
    html = body_html(mailbox.to("anna@example.org")[0])
    assert "<script>" not in html and "<b>Achtung" not in html
    assert (
        "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; {title} %(num)s<br>zweite Zeile"
        in html
    )
    assert body in body_text(mailbox.to("anna@example.org")[0])  # plain text stays as typed


async def test_waitlist_mail_says_why(client, mailbox: Mailbox) -> None:
    t = await town()
    await _send(client, t, audience="waitlist", session=str(t.first.id))
    assert sorted(m["To"] for m in mailbox.messages) == ["amt@example.org", "wanda@example.org"]
    text = body_text(mailbox.to("wanda@example.org")[0])
    assert "weil Sie auf der Warteliste stehen" in text
    assert "Termin:" in text


async def test_unsubscribe_link_works_without_login(client, mailbox: Mailbox) -> None:
    t = await town()
    await _send(client, t)
    text = body_text(mailbox.to("anna@example.org")[0])
    link = next(link for link in links_in(text) if "/nachrichten/abbestellen/" in link)
    assert link == opt_out_url(t.people["anna"].id)
    path = "/" + link.split("/", 3)[3]
    client.cookies.clear()
    page = await client.get(path)
    assert page.status_code == 200
    assert "Keine solchen Nachrichten mehr" in page.text
    assert await _messages_ok("anna")  # opening the page changes nothing
    assert (await client.submit(path)).status_code == 303
    assert not await _messages_ok("anna")
    done = await client.get(path)
    assert "Sie bekommen keine Nachrichten der Veranstaltenden" in done.text
    # Another person's link, a wrong or missing key: not found, nothing changed.
    ben = t.people["ben"].id
    wrong = path.replace(f"/{t.people['anna'].id}?", f"/{ben}?")
    assert (await client.get(wrong)).status_code == 404
    assert (await client.submit(wrong)).status_code == 404
    assert (await client.get(path.split("?")[0])).status_code == 404
    assert await _messages_ok("ben")
    # The next message skips her.
    mailbox.clear()
    await _send(client, t, key="n" * 24)
    assert "anna@example.org" not in [m["To"] for m in mailbox.messages]


async def test_mail_programs_unsubscribe_with_one_click(app, client, mailbox: Mailbox) -> None:
    """RFC 8058: the header names the same link; the mail program POSTs
    `List-Unsubscribe=One-Click` to it without cookies or CSRF token and gets a 200."""
    t = await town()
    await _send(client, t)
    anna = mailbox.to("anna@example.org")[0]
    assert anna["List-Unsubscribe"] == f"<{opt_out_url(t.people['anna'].id)}>"
    assert anna["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # The officer's copy is no message to a participant: nothing to unsubscribe from.
    assert mailbox.to("amt@example.org")[0]["List-Unsubscribe"] is None

    path = "/" + opt_out_url(t.people["anna"].id).split("/", 3)[3]
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as provider:
        wrong = path.replace("token=", "token=0")
        assert (await provider.post(wrong, data=ONE_CLICK)).status_code == 404
        assert await _messages_ok("anna")
        response = await provider.post(path, data=ONE_CLICK)
    assert response.status_code == 200
    assert "Sie bekommen keine Nachrichten der Veranstaltenden" in response.text
    assert not await _messages_ok("anna")
    assert await _messages_ok("ben")


async def test_other_posts_without_a_token_are_still_refused(app) -> None:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as stranger:
        response = await stranger.post("/konto/anmelden", data=ONE_CLICK)
    assert response.status_code == 403


async def _messages_ok(name: str) -> bool:
    row = await User.select(User.messages_ok).where(User.email == f"{name}@example.org").first()
    return row["messages_ok"]
