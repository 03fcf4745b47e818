"""Invitations end to end: the officer's click, the real worker, the real SMTP server."""

from __future__ import annotations

import asyncio
import datetime as dt
from email.message import Message

from boerse.lib.db import utcnow
from boerse.matching import invitations
from boerse.matching.tables import Invitation
from boerse.opportunities.tables import (
    Opportunity,
    OpportunitySession,
    OpportunityStatus,
    SignUp,
    SignUpStatus,
)
from boerse.outbox.tables import OutboxEmail, OutboxStatus
from tests.matching.test_routes import (
    invite_url,
    make_offer,
    make_resident,
    refresh_index,
)
from tests.support.factories import (
    make_officer,
    make_opportunity,
    make_organisation,
    make_session,
    sign_in,
)
from tests.support.fixtures import links_in, run_worker
from tests.support.services import Mailbox, body_text

DAY = dt.timedelta(days=1)


def html_part(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/html":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    return ""


async def test_the_worker_delivers_one_invitation_email_in_german(client, mailbox: Mailbox) -> None:
    organisation = await make_organisation("Grünflächenamt")
    offer = await make_offer(organisation, "Bäume pflanzen im Rosental")
    anna = await make_resident("Anna Schneider", email="anna@example.org")
    await refresh_index()
    await sign_in(client, await make_officer(organisation, display_name="Frau Berger"))

    await client.submit(invite_url(offer, anna))
    await client.submit(invite_url(offer, anna))
    await run_worker()
    await run_worker()

    assert [message["To"] for message in mailbox.messages] == ["anna@example.org"]
    assert mailbox.subjects() == ["Einladung zum Mitmachen: Bäume pflanzen im Rosental"]
    text = body_text(mailbox.messages[0])
    assert "Guten Tag Anna," in text
    assert "Frau Berger von „Grünflächenamt“ lädt Sie ein" in text
    assert "Warum es zu Ihnen passt:" in text
    assert "Ihr Interesse: Umwelt und Klima" in text
    assert "Gärtnern" in text
    links = links_in(text)
    assert any(link.endswith(f"/angebote/{offer.id}") for link in links)
    assert any(link.endswith("/profil") for link in links)
    assert "Verwaltung darf mich zu passenden Angeboten einladen" in text
    html = html_part(mailbox.messages[0])
    assert f'/angebote/{offer.id}"' in html and "Bäume pflanzen im Rosental" in html
    sent = await OutboxEmail.select(OutboxEmail.status)
    assert sent == [{"status": OutboxStatus.SENT.value}]


async def test_invite_service_is_once_only_and_refuses_closed_offers() -> None:
    organisation = await make_organisation()
    offer = await make_offer(organisation)
    officer = await make_officer(organisation)
    anna = await make_resident("Anna")
    await refresh_index()

    assert await invitations.invite(offer.id, anna.id, officer.id) is True
    assert await invitations.invite(offer.id, anna.id, officer.id) is False

    await Opportunity.update({Opportunity.status: OpportunityStatus.CLOSED.value}).where(
        Opportunity.id == offer.id
    )
    assert await invitations.can_invite(offer.id) is False
    bernd = await make_resident("Bernd")
    try:
        await invitations.invite(offer.id, bernd.id, officer.id)
    except invitations.InviteRefusedError as refusal:
        assert refusal.reason == "closed"
    else:
        raise AssertionError("a closed offer must refuse invitations")
    assert await Invitation.count() == 1


async def test_only_sign_ups_after_the_invitation_count() -> None:
    organisation = await make_organisation()
    offer = await make_offer(organisation)
    officer = await make_officer(organisation)
    before, after, cancelled = [await make_resident(name) for name in ("Ben", "Ada", "Cem")]
    await refresh_index()
    session = await make_session(offer, starts_in=10 * DAY)
    await SignUp(
        session=session.id,
        user=before.id,
        status=SignUpStatus.REGISTERED.value,
        created_at=utcnow() - DAY,
    ).save()
    for person in (before, after, cancelled):
        await Invitation(opportunity=offer.id, user=person.id, invited_by=officer.id).save()
    await SignUp(session=session.id, user=after.id, status=SignUpStatus.WAITLISTED.value).save()
    await SignUp(session=session.id, user=cancelled.id, status=SignUpStatus.CANCELLED.value).save()

    people = {person.first_name: person for person in await invitations.invitations_of(offer.id)}

    assert people["Ben"].signed_up_after is False
    assert people["Ada"].signed_up_after is True
    assert people["Cem"].signed_up_after is False


def test_officers_see_the_first_name_only() -> None:
    assert invitations.first_name("Anna Maria Schneider") == "Anna"
    assert invitations.first_name("  Bernd ") == "Bernd"
    assert invitations.first_name("") == "Ohne Namen"


async def test_two_clicks_at_the_same_moment_make_one_invitation_and_one_email() -> None:
    organisation = await make_organisation()
    offer = await make_offer(organisation)
    first, second = await make_officer(organisation), await make_officer(organisation)
    anna = await make_resident("Anna")
    await refresh_index()

    results = await asyncio.gather(
        invitations.invite(offer.id, anna.id, first.id),
        invitations.invite(offer.id, anna.id, second.id),
    )

    assert sorted(results) == [False, True]
    assert await Invitation.count() == 1
    assert await OutboxEmail.count() == 1


async def test_a_fully_booked_offer_invites_nobody() -> None:
    offer = await make_opportunity(await make_organisation())
    session = await make_session(offer, capacity=2)
    assert await invitations.can_invite(offer.id) is True

    await OpportunitySession.update({OpportunitySession.seats_taken: 2}).where(
        OpportunitySession.id == session.id
    )

    assert await invitations.can_invite(offer.id) is False
