"""Capacity under pressure: many people press the button at the same moment, each request
in its own transaction, on SQLite and on PostgreSQL alike."""

from __future__ import annotations

import asyncio
from collections import Counter

import httpx

from boerse.opportunities import signups
from boerse.opportunities.tables import OpportunitySession, SignUp
from boerse.outbox.tables import OutboxEmail
from tests.support.factories import make_opportunity, make_organisation, make_session, make_user
from tests.support.factories import sign_in as sign_in_client
from tests.support.fixtures import Client


async def browsers(app, count: int) -> list[Client]:
    """One signed-in browser per resident, each with its own cookies and CSRF token."""
    clients = []
    for _ in range(count):
        client = Client(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
        await sign_in_client(client, await make_user())
        await client.csrf_token()
        clients.append(client)
    return clients


async def statuses(session_id: int) -> Counter:
    rows = await SignUp.select(SignUp.status).where(SignUp.session == session_id)
    return Counter(row["status"] for row in rows)


async def seats_taken(session_id: int) -> int:
    row = await OpportunitySession.select(OpportunitySession.seats_taken).where(
        OpportunitySession.id == session_id
    )
    return row[0]["seats_taken"]


async def test_twenty_people_for_three_places_at_the_same_moment(app) -> None:
    session = await make_session(await make_opportunity(await make_organisation()), capacity=3)
    clients = await browsers(app, 20)
    try:
        responses = await asyncio.gather(
            *(client.submit(f"/termine/{session.id}/anmelden") for client in clients)
        )
    finally:
        for client in clients:
            await client.aclose()

    assert {response.status_code for response in responses} == {303}
    assert await statuses(session.id) == Counter(registered=3, waitlisted=17)
    assert await seats_taken(session.id) == 3
    subjects = Counter(row["subject"].split(":")[0] for row in await OutboxEmail.select())
    assert subjects == Counter({"Ihre Anmeldung": 3, "Warteliste": 17})


async def test_one_person_clicking_five_times_at_once_gets_one_place(app) -> None:
    session = await make_session(await make_opportunity(await make_organisation()), capacity=3)
    client = Client(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
    await sign_in_client(client, await make_user())
    try:
        responses = await asyncio.gather(
            *(client.submit(f"/termine/{session.id}/anmelden") for _ in range(5))
        )
    finally:
        await client.aclose()

    assert {response.status_code for response in responses} == {303}
    assert await statuses(session.id) == Counter(registered=1)
    assert await seats_taken(session.id) == 1
    assert await OutboxEmail.count() == 1


async def test_cancellations_and_sign_ups_racing_keep_the_books_straight() -> None:
    """Whatever the interleaving: the counter equals the people holding a place, never
    exceeds capacity, and nobody waits while a place is free."""
    session = await make_session(await make_opportunity(await make_organisation()), capacity=3)
    holders = [await make_user() for _ in range(3)]
    waiting = [await make_user() for _ in range(3)]
    for person in holders + waiting:
        await signups.sign_up(person.id, session.id)
    newcomers = [await make_user() for _ in range(4)]

    await asyncio.gather(
        *(signups.cancel(person.id, session.id) for person in holders[:2]),
        *(signups.cancel(person.id, session.id) for person in waiting[2:]),
        *(signups.sign_up(person.id, session.id) for person in newcomers),
    )

    counts = await statuses(session.id)
    held = counts["registered"] + counts["confirmed"]
    assert await seats_taken(session.id) == held == 3
    assert counts["cancelled"] == 3
    assert counts["waitlisted"] == 4


async def test_groups_and_singles_at_the_same_moment_never_overbook(app) -> None:
    """Twelve sign-ups of 1 to 4 places race for 7 places through real requests: whatever
    the order, the counter is exactly the places of those registered and never over 7."""
    opportunity = await make_opportunity(await make_organisation(), max_companions=3)
    session = await make_session(opportunity, capacity=7)
    clients = await browsers(app, 12)
    sizes = [3, 0, 2, 1, 0, 3, 0, 1, 2, 0, 3, 0]
    try:
        responses = await asyncio.gather(
            *(
                client.submit(f"/termine/{session.id}/anmelden", {"companions": str(size)})
                for client, size in zip(clients, sizes, strict=True)
            )
        )
    finally:
        for client in clients:
            await client.aclose()

    assert {response.status_code for response in responses} == {303}
    rows = await SignUp.select(SignUp.status, SignUp.companions).where(SignUp.session == session.id)
    held = sum(1 + row["companions"] for row in rows if row["status"] == "registered")
    assert held == await seats_taken(session.id) <= 7
    assert len(rows) == 12
    # Nobody waits who would fit into the places left.
    free = 7 - held
    waiting = [row for row in rows if row["status"] == "waitlisted"]
    assert all(1 + row["companions"] > free for row in waiting)


async def test_group_cancellations_and_sign_ups_racing_keep_the_books_straight() -> None:
    opportunity = await make_opportunity(await make_organisation(), max_companions=3)
    session = await make_session(opportunity, capacity=6)
    holders = [await make_user() for _ in range(3)]
    for person in holders:  # 2 + 2 + 2 places
        await signups.sign_up(person.id, session.id, companions=1)
    waiting = [await make_user() for _ in range(3)]
    for person, size in zip(waiting, (3, 0, 1), strict=True):
        await signups.sign_up(person.id, session.id, companions=size)
    newcomers = [await make_user() for _ in range(4)]

    await asyncio.gather(
        *(signups.cancel(person.id, session.id) for person in holders[:2]),
        *(
            signups.sign_up(person.id, session.id, companions=size)
            for person, size in zip(newcomers, (2, 0, 1, 3), strict=True)
        ),
    )

    rows = await SignUp.select(SignUp.status, SignUp.companions).where(SignUp.session == session.id)
    held = sum(1 + row["companions"] for row in rows if row["status"] == "registered")
    assert held == await seats_taken(session.id) <= 6
    free = 6 - held
    assert all(1 + row["companions"] > free for row in rows if row["status"] == "waitlisted")
