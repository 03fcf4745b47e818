"""The guest account behind a sign-up without registration."""

from __future__ import annotations

import asyncio

from boerse.accounts.tables import Role, User
from boerse.guests.services import find_or_create_guest
from boerse.lib.db import write_transaction
from boerse.lib.security import verify_password
from tests.support.factories import make_user


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
