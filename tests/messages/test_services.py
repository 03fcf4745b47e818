"""Who a message reaches: the audience chosen, each person once, never those who switched
messages off, closed accounts, cancelled sign-ups or (unless chosen) the waitlist."""

from __future__ import annotations

import asyncio

from boerse.messages.services import Draft, audience_of, paragraphs, send_message
from boerse.messages.tables import Audience, Message
from boerse.opportunities.services import get_opportunity
from boerse.outbox.tables import OutboxEmail
from tests.messages.helpers import town


async def _emails(opportunity_id: int, audience: Audience, session_id: int | None = None):
    result = await audience_of(opportunity_id, audience.value, session_id)
    return sorted(person.email for person in result.recipients), result.skipped


async def test_one_date_reaches_its_places_only() -> None:
    t = await town()
    assert await _emails(t.opportunity.id, Audience.SESSION, t.first.id) == (
        ["anna@example.org", "ben@example.org"],
        1,  # olga switched messages off
    )
    assert await _emails(t.opportunity.id, Audience.SESSION, t.past.id) == (
        ["paula@example.org"],
        0,
    )


async def test_upcoming_dates_reach_each_person_once() -> None:
    t = await town()
    emails, skipped = await _emails(t.opportunity.id, Audience.UPCOMING)
    assert emails == ["anna@example.org", "ben@example.org", "tom@example.org"]
    assert skipped == 1


async def test_waitlist_of_one_date_or_of_all_upcoming() -> None:
    t = await town()
    assert await _emails(t.opportunity.id, Audience.WAITLIST, t.first.id) == (
        ["wanda@example.org"],
        0,
    )
    assert await _emails(t.opportunity.id, Audience.WAITLIST) == (["wanda@example.org"], 0)
    assert await _emails(t.opportunity.id, Audience.WAITLIST, t.second.id) == ([], 0)
    result = await audience_of(t.opportunity.id, Audience.WAITLIST.value, None)
    assert all(person.waitlisted for person in result.recipients)


def test_paragraphs_keep_the_officers_lines() -> None:
    assert paragraphs("Hallo\r\nzusammen\n\n\n  Bis bald  \n") == [
        ["Hallo", "zusammen"],
        ["Bis bald"],
    ]
    assert paragraphs("   ") == []


async def test_the_same_form_sent_twice_at_once_sends_once() -> None:
    t = await town()
    opportunity = await get_opportunity(t.opportunity.id)
    draft = Draft(Audience.UPCOMING.value, None, "Betreff", "Text", "r" * 24)
    first, second = await asyncio.gather(
        send_message(opportunity, None, t.officer.id, draft),
        send_message(opportunity, None, t.officer.id, draft),
    )
    assert first == second
    assert await Message.count() == 1
    assert await OutboxEmail.count() == 4  # three recipients and the sender's copy
