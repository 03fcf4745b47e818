"""Guest confirmations racing for the last places, each click its own request and
transaction, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import asyncio
import datetime as dt

import httpx

from boerse.accounts.tables import User
from boerse.guests.tables import GuestSignUpRequest
from boerse.lib.db import utcnow
from boerse.lib.security import new_token
from boerse.opportunities.tables import OpportunitySession, SignUp
from tests.support.factories import make_opportunity, make_organisation, make_session, make_user
from tests.support.fixtures import Client


async def pending(session_id: int, email: str, companions: int = 0) -> str:
    """A request as the form leaves it; returns the token its mail would carry."""
    token, token_hash = new_token()
    now = utcnow()
    await GuestSignUpRequest(
        token_hash=token_hash,
        session=session_id,
        email=email,
        display_name=email.split("@")[0],
        companions=companions,
        consent_at=now,
        expires_at=now + dt.timedelta(hours=48),
    ).save()
    return token


async def click_all(app, tokens: list[str]) -> list[httpx.Response]:
    clients = [
        Client(transport=httpx.ASGITransport(app=app), base_url="http://testserver") for _ in tokens
    ]
    try:
        for client in clients:
            await client.csrf_token()
        return await asyncio.gather(
            *(
                client.submit(f"/gast/bestaetigen/{token}")
                for client, token in zip(clients, tokens, strict=True)
            )
        )
    finally:
        for client in clients:
            await client.aclose()


async def test_guests_and_groups_confirming_at_once_never_overbook(app) -> None:
    opportunity = await make_opportunity(await make_organisation(), max_companions=2)
    session = await make_session(opportunity, capacity=5)
    # A resident holds 2 places already; 3 are left for 10 guests of 1 to 3 places.
    await SignUp(
        session=session.id, user=(await make_user()).id, status="registered", companions=1
    ).save()
    await OpportunitySession.update({OpportunitySession.seats_taken: 2}).where(
        OpportunitySession.id == session.id
    )
    sizes = [2, 0, 1, 0, 2, 0, 1, 0, 2, 0]
    tokens = [
        await pending(session.id, f"gast{i}@example.org", size) for i, size in enumerate(sizes)
    ]

    responses = await click_all(app, tokens)

    assert {response.status_code for response in responses} == {303}
    rows = await SignUp.select(SignUp.status, SignUp.companions).where(SignUp.session == session.id)
    held = sum(1 + row["companions"] for row in rows if row["status"] == "registered")
    seats = await OpportunitySession.select(OpportunitySession.seats_taken).where(
        OpportunitySession.id == session.id
    )
    assert held == seats[0]["seats_taken"] <= 5
    assert len(rows) == 11
    assert await User.count().where(User.role == "guest") == 10


async def test_the_same_link_clicked_five_times_at_once_signs_up_once(app) -> None:
    session = await make_session(await make_opportunity(await make_organisation()), capacity=3)
    token = await pending(session.id, "gerda@example.org")

    responses = await click_all(app, [token] * 5)

    assert sorted(response.status_code for response in responses) == [303, 410, 410, 410, 410]
    assert await SignUp.count() == 1
    assert await User.count() == 1


async def test_two_links_of_one_address_clicked_at_once_make_one_account(app) -> None:
    session = await make_session(await make_opportunity(await make_organisation()), capacity=3)
    tokens = [await pending(session.id, "gerda@example.org") for _ in range(3)]

    responses = await click_all(app, tokens)

    assert {response.status_code for response in responses} == {303}
    assert await User.count() == 1
    assert await SignUp.count() == 1
    seats = await OpportunitySession.select(OpportunitySession.seats_taken)
    assert seats[0]["seats_taken"] == 1
