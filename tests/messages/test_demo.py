"""The demo town on first start: a sent message in the first officer's list, and that
officer has the daily sign-up summary switched on."""

from __future__ import annotations

from boerse.accounts.tables import User
from boerse.demo.loader import OFFICER_LOGINS, load_demo
from boerse.demo.messages import SUBJECT
from boerse.messages.tables import Message
from tests.support.factories import sign_in


async def test_demo_officer_sees_a_sent_message_and_gets_the_summary(client) -> None:
    assert await load_demo()
    officer = await User.objects().where(User.email == OFFICER_LOGINS[0]).first()
    assert officer.signup_summary_ok
    message = await Message.objects().first()
    assert message.subject == SUBJECT and message.sender == officer.id
    assert message.recipient_count > 0
    await sign_in(client, officer)
    listing = await client.get(f"/verwaltung/nachrichten/angebot/{message.opportunity}")
    assert listing.status_code == 200 and SUBJECT in listing.text
    detail = await client.get(f"/verwaltung/nachrichten/{message.id}")
    assert "Haupteingang" in detail.text
