"""The guest account behind a sign-up without registration."""

from __future__ import annotations

import asyncio
import datetime as dt

from boerse.accounts.tables import Role, User
from boerse.guests.services import find_or_create_guest
from boerse.guests.tables import GuestSignUpRequest
from boerse.lib.db import utcnow, write_transaction
from boerse.lib.queue import enqueue
from boerse.lib.security import new_token, verify_password
from tests.support.factories import make_opportunity, make_organisation, make_session, make_user
from tests.support.fixtures import run_worker


async def test_a_new_address_becomes_a_guest_without_password() -> None:
    async with write_transaction():
        user_id = await find_or_create_guest(" Gast@Example.org ", "Gerda Gast", "en")

    user = await User.objects().where(User.id == user_id).first()
    assert user.email == "gast@example.org"
    assert user.role == Role.GUEST.value
    assert user.display_name == "Gerda Gast"
    assert user.language == "en"
    assert user.email_verified_at is None
    assert user.created_at is not None
    assert user.calendar_token
    assert not verify_password(user.password_hash, "")
    assert not verify_password(user.password_hash, "not-a-real-password")


async def test_an_existing_account_is_returned_as_it_is() -> None:
    resident = await make_user(email="anna@example.org", display_name="Anna")
    async with write_transaction():
        user_id = await find_or_create_guest("ANNA@example.org", "Someone else", "en")

    assert user_id == resident.id
    row = await User.select(User.role, User.display_name).where(User.id == user_id).first()
    assert row == {"role": Role.RESIDENT.value, "display_name": "Anna"}


async def test_the_same_guest_twice_is_one_row() -> None:
    async with write_transaction():
        first = await find_or_create_guest("gast@example.org", "Gerda", "de")
    async with write_transaction():
        second = await find_or_create_guest("gast@example.org", "Gerda G.", "de")
    assert first == second
    assert await User.count().where(User.email == "gast@example.org") == 1


async def test_the_same_address_at_the_same_moment_is_one_row() -> None:
    async def confirm() -> int:
        async with write_transaction():
            return await find_or_create_guest("gleich@example.org", "Gleich", "de")

    ids = await asyncio.gather(*(confirm() for _ in range(6)))
    assert len(set(ids)) == 1
    assert await User.count().where(User.email == "gleich@example.org") == 1


async def test_stale_requests_are_deleted_by_the_nightly_job() -> None:
    session = await make_session(await make_opportunity(await make_organisation()))
    now = utcnow()

    async def request(expires_in: dt.timedelta, used_ago: dt.timedelta | None = None) -> int:
        row = GuestSignUpRequest(
            token_hash=new_token()[1],
            session=session.id,
            email="gast@example.org",
            consent_at=now,
            expires_at=now + expires_in,
            used_at=now - used_ago if used_ago else None,
        )
        await row.save()
        return row.id

    waiting = await request(dt.timedelta(hours=40))
    await request(-dt.timedelta(minutes=1))
    await request(dt.timedelta(hours=1), used_ago=dt.timedelta(days=2))
    used_today = await request(dt.timedelta(hours=1), used_ago=dt.timedelta(hours=2))

    assert await enqueue("delete_stale_guest_requests")
    await run_worker()

    left = {row["id"] for row in await GuestSignUpRequest.select(GuestSignUpRequest.id)}
    assert left == {waiting, used_today}
