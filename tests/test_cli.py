"""The `boerse` command line, run as the operators run it: a separate process."""

from __future__ import annotations

import os
import subprocess
import sys

from boerse.accounts.tables import Organisation, Role, User


def boerse(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "boerse.cli", *args],
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


async def test_create_user_makes_a_verified_officer_of_a_new_organisation() -> None:
    result = boerse(
        "create-user", "amt@stadt.example", "--role", "officer",
        "--organisation", "Bauamt", "--password", "ein-sehr-langes-Passwort",
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    user = await User.objects().where(User.email == "amt@stadt.example").first()
    assert user.role == Role.OFFICER
    assert user.email_verified_at is not None
    organisation = await Organisation.objects().where(Organisation.id == user.organisation).first()
    assert organisation.name == "Bauamt"


async def test_create_user_refuses_bad_input_with_a_german_message() -> None:
    result = boerse("create-user", "x@stadt.example", "--role", "officer", "--password", "kurz")

    assert result.returncode == 1
    assert result.stderr.startswith("Fehler: ")
    assert await User.count() == 0


async def test_migrate_twice_is_harmless() -> None:
    assert boerse("migrate").returncode == 0
    assert boerse("migrate").returncode == 0
