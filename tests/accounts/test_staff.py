"""`create_staff_user`, which the `boerse create-user` command calls."""

from __future__ import annotations

import pytest

from boerse.accounts.admin_services import create_staff_user
from boerse.accounts.tables import Organisation, User
from boerse.cli import main
from boerse.lib.security import verify_password
from tests.support.factories import make_organisation, make_user

PASSWORD = "Dienst-Passwort-42"


async def test_officer_gets_a_new_organisation_by_name():
    user_id = await create_staff_user(
        " Amt@Lindenau.example ", PASSWORD, "officer", "Amt für Umwelt", "Herr Amt"
    )
    user = await User.objects().where(User.id == user_id).first()
    organisation = await Organisation.objects().where(Organisation.id == user.organisation).first()
    assert (user.email, user.role, user.display_name) == (
        "amt@lindenau.example",
        "officer",
        "Herr Amt",
    )
    assert organisation.name == "Amt für Umwelt"
    assert user.email_verified_at is not None
    assert verify_password(user.password_hash, PASSWORD)
    assert user.calendar_token


async def test_existing_organisation_is_reused():
    organisation = await make_organisation("Stadtbibliothek")
    user_id = await create_staff_user(
        "b@lindenau.example", PASSWORD, "officer", "Stadtbibliothek", ""
    )
    user = await User.objects().where(User.id == user_id).first()
    assert user.organisation == organisation.id
    assert await Organisation.count() == 1


async def test_admin_needs_no_organisation():
    user_id = await create_staff_user("chef@lindenau.example", PASSWORD, "admin", "", "Chefin")
    user = await User.objects().where(User.id == user_id).first()
    assert (user.role, user.organisation) == ("admin", None)


@pytest.mark.parametrize(
    ("email", "password", "role", "organisation", "message"),
    [
        ("kaputt", PASSWORD, "officer", "Amt", "gültige E-Mail-Adresse"),
        ("a@lindenau.example", "kurz", "officer", "Amt", "mindestens 10 Zeichen"),
        ("a@lindenau.example", "a@lindenau.example", "admin", "", "nicht Ihre E-Mail-Adresse"),
        ("a@lindenau.example", PASSWORD, "officer", " ", "brauchen eine Organisation"),
        ("a@lindenau.example", PASSWORD, "resident", "", "Rolle"),
        ("vorhanden@lindenau.example", PASSWORD, "admin", "", "gibt es schon ein Konto"),
    ],
)
async def test_bad_input_raises_a_german_message_and_saves_nothing(
    email, password, role, organisation, message
):
    await make_user(email="vorhanden@lindenau.example")
    with pytest.raises(ValueError, match=message):
        await create_staff_user(email, password, role, organisation, "")
    assert await User.count() == 1
    assert await Organisation.count() == 0


def test_cli_reports_bad_input_without_a_traceback(capsys):
    code = main(["create-user", "kaputt", "--role", "admin", "--password", PASSWORD])
    assert code == 1
    assert "Fehler: Bitte geben Sie eine gültige E-Mail-Adresse ein." in capsys.readouterr().err
