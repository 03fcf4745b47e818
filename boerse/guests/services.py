"""Guests: a `User` row with role `guest` for someone who signed up for a date without an
account, so that confirmation, reminders, check-in, surveys and the hours record work for
them exactly as for residents. A guest has no usable password and no profile (so matching
never sees them); upgrading turns the same row into a resident and keeps the history."""

from __future__ import annotations

from boerse.accounts.tables import Role, User
from boerse.lib.db import insert_many
from boerse.lib.security import hash_password, new_token

# One argon2 hash of a random secret that is thrown away at once: nobody can know a password
# for it, and checking a login against it costs the same time as against a real account's
# hash (an empty or malformed hash would answer faster and tell that a guest exists). The
# login refuses guests anyway; this is the second lock.
_NO_PASSWORD = hash_password(new_token()[0])


async def find_or_create_guest(email: str, name: str, language: str) -> int:
    """The account of `email`: an existing one is returned as it is, whatever its role (a
    resident stays a resident; the caller decides whether that is acceptable); otherwise a
    new guest without usable password and with an unconfirmed address.

    Runs inside the caller's transaction. The insert skips a clash on the address, so two
    confirmations of the same address at once end with one row, not an aborted transaction
    (on PostgreSQL the second insert waits for the first to commit and then finds it)."""
    email = email.strip().lower()
    existing = await User.select(User.id).where(User.email == email).first()
    if existing:
        return existing["id"]
    inserted = await insert_many(
        User,
        [
            User.email,
            User.password_hash,
            User.display_name,
            User.role,
            User.calendar_token,
            User.language,
            User.is_active,
            User.messages_ok,
            User.signup_summary_ok,
            User.totp_secret,
            User.totp_last_step,
        ],
        [
            [
                email,
                _NO_PASSWORD,
                name.strip()[:100],
                Role.GUEST.value,
                new_token()[0],
                language,
                True,
                True,
                False,
                "",
                0,
            ]
        ],
        skip_conflicts_on=User.email,
        returning=User.id,
    )
    if inserted:
        return inserted[0]
    row = await User.select(User.id).where(User.email == email).first()
    assert row is not None, "the clashing row is committed before ON CONFLICT skips"
    return row["id"]
