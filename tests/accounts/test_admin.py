"""Administration pages: guards, organisations, inviting staff, (de)activating accounts."""

from __future__ import annotations

import datetime as dt

import pytest

from boerse.accounts.tables import LoginSession, Organisation, Role, User
from boerse.lib.db import utcnow
from boerse.lib.security import verify_password
from boerse.opportunities.tables import SignUp
from boerse.outbox.tables import OutboxEmail
from boerse.retention.services import anonymise_participation
from tests.accounts.helpers import delivered_link, user_by_email
from tests.support.factories import (
    make_officer,
    make_opportunity,
    make_organisation,
    make_session,
    make_user,
    sign_in,
)
from tests.support.services import Mailbox, body_text

ORGANISATION = {
    "name": "Amt für Umwelt",
    "kind": "council",
    "description": "Grünflächen, Bäume, Klimaschutz.",
    "website": "https://www.lindenau.example/umwelt",
}


@pytest.fixture
async def admin(client) -> User:
    user = await make_user(email="admin@lindenau.example", role=Role.ADMIN)
    await sign_in(client, user)
    return user


async def test_anonymous_visitor_is_sent_to_the_login(client):
    response = await client.get("/admin/organisationen")
    assert response.status_code == 303
    assert response.headers["location"] == "/konto/anmelden?next=/admin/organisationen"


@pytest.mark.parametrize("make", [make_user, make_officer])
async def test_residents_and_officers_get_the_no_access_page(client, make):
    await sign_in(client, await make())
    for url in ("/admin", "/admin/konten", "/admin/organisationen/neu"):
        response = await client.get(url)
        assert response.status_code == 403
        assert "Kein Zugriff" in response.text
    created = await client.submit("/admin/organisationen/neu", ORGANISATION)
    assert created.status_code == 403
    assert await Organisation.count() == (1 if make is make_officer else 0)


async def test_index_shows_the_figures(client, admin):
    await make_officer()
    await make_user()
    response = await client.get("/admin")
    assert response.status_code == 200
    assert "Organisationen aus Verwaltung und Partnern: 1" in response.text
    assert "Konten von Mitarbeitenden und Administration: 2" in response.text  # officer + admin
    assert "Registrierte Bürgerinnen und Bürger: 1" in response.text


async def test_admin_creates_an_organisation(client, admin):
    response = await client.submit("/admin/organisationen/neu", ORGANISATION)

    assert response.status_code == 303
    assert response.headers["location"] == "/admin/organisationen"
    row = await Organisation.objects().first()
    assert (row.name, row.kind, row.website) == (
        "Amt für Umwelt",
        "council",
        "https://www.lindenau.example/umwelt",
    )
    listing = await client.get("/admin/organisationen")
    assert "Die Organisation wurde angelegt." in listing.text
    assert "Amt für Umwelt" in listing.text


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": ""}, "Bitte füllen Sie dieses Feld aus."),
        ({"kind": "verein"}, "Bitte wählen Sie einen Eintrag aus der Liste."),
        ({"website": "lindenau punkt de"}, "Bitte geben Sie die Adresse vollständig ein"),
        ({"description": "x" * 2001}, "höchstens 2000 Zeichen"),
    ],
)
async def test_bad_organisation_input_is_shown_again(client, admin, change, message):
    data = {**ORGANISATION, **change}
    response = await client.submit("/admin/organisationen/neu", data)
    assert response.status_code == 400
    assert message in response.text
    assert "Bitte prüfen Sie Ihre Eingaben" in response.text
    if data["name"]:
        assert 'value="Amt für Umwelt"' in response.text
    assert await Organisation.count() == 0


async def test_duplicate_organisation_name_is_refused(client, admin):
    await make_organisation("Amt für Umwelt")
    response = await client.submit("/admin/organisationen/neu", ORGANISATION)
    assert response.status_code == 400
    assert "gibt es schon" in response.text
    assert await Organisation.count() == 1


async def test_organisation_list_runs_a_fixed_number_of_queries(client, admin, count_queries):
    async def measure() -> int:
        with count_queries() as counter:
            assert (await client.get("/admin/organisationen")).status_code == 200
        return counter.count

    organisation = await make_organisation()
    await make_officer(organisation)
    few = await measure()
    for _ in range(5):
        await make_officer(await make_organisation())
    assert await measure() == few


async def test_account_list_filters_and_runs_a_fixed_number_of_queries(
    client, admin, count_queries
):
    organisation = await make_organisation("Stadtbibliothek")
    await make_officer(organisation, email="leser@lindenau.example")
    await make_user(email="bertha@example.org")

    with count_queries() as few:
        officers = await client.get("/admin/konten?rolle=officer")
    for number in range(6):
        await make_officer(await make_organisation(), email=f"amt{number}@lindenau.example")
    with count_queries() as many:
        await client.get("/admin/konten?rolle=officer")

    assert many.count == few.count
    assert "leser@lindenau.example" in officers.text and "Stadtbibliothek" in officers.text
    assert "bertha@example.org" not in officers.text
    found = await client.get("/admin/konten?suche=BERTHA")
    assert "bertha@example.org" in found.text and "leser@" not in found.text


async def test_admin_invites_an_officer_who_sets_a_password_by_link(
    client, admin, mailbox: Mailbox
):
    organisation = await make_organisation("Amt für Umwelt")
    data = {
        "email": "Grün@Lindenau.example".replace("ü", "ue"),
        "display_name": "Frau Grün",
        "role": "officer",
        "organisation": str(organisation.id),
    }

    response = await client.submit("/admin/konten/neu", data)

    assert response.status_code == 303
    officer = await user_by_email("gruen@lindenau.example")
    assert (officer.role, officer.organisation) == ("officer", organisation.id)
    assert officer.email_verified_at is not None
    link = await delivered_link(mailbox, "gruen@lindenau.example", "/konto/passwort-neu")
    assert mailbox.subjects() == ["Ihr Zugang zur Mitmach-Börse"]
    assert "Amt für Umwelt" in body_text(mailbox.messages[0])

    client.cookies.clear()
    token = link.split("token=", 1)[1]
    set_password = await client.submit(
        "/konto/passwort-neu",
        {"token": token, "password": "Dienst-Passwort-42", "password_repeat": "Dienst-Passwort-42"},
    )
    assert set_password.status_code == 303
    login = await client.submit(
        "/konto/anmelden", {"email": "gruen@lindenau.example", "password": "Dienst-Passwort-42"}
    )
    assert login.status_code == 303


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"email": "kein-at-zeichen"}, "gültige E-Mail-Adresse"),
        ({"display_name": ""}, "Bitte füllen Sie dieses Feld aus."),
        ({"organisation": ""}, "Bitte wählen Sie die Organisation"),
        ({"organisation": "99999"}, "Diese Organisation gibt es nicht mehr."),
        ({"role": "resident"}, "Bitte wählen Sie einen Eintrag aus der Liste."),
        ({"email": "admin@lindenau.example"}, "gibt es schon ein Konto"),
    ],
)
async def test_bad_staff_input_is_shown_again_and_nothing_is_saved(client, admin, change, message):
    organisation = await make_organisation()
    data = {
        "email": "neu@lindenau.example",
        "display_name": "Herr Neu",
        "role": "officer",
        "organisation": str(organisation.id),
        **change,
    }
    response = await client.submit("/admin/konten/neu", data)
    assert response.status_code == 400
    assert message in response.text
    assert f'value="{data["email"]}"' in response.text
    assert await User.count() == 1  # only the admin
    assert await OutboxEmail.count() == 0


async def test_admin_account_may_have_no_organisation(client, admin):
    data = {"email": "zweite@lindenau.example", "display_name": "Zweite", "role": "admin"}
    assert (await client.submit("/admin/konten/neu", data)).status_code == 303
    second = await user_by_email("zweite@lindenau.example")
    assert (second.role, second.organisation) == ("admin", None)


async def test_deactivating_logs_the_person_out_and_blocks_login(client, admin):
    resident = await make_user(email="bertha@example.org")
    await LoginSession.insert(LoginSession(token_hash="x" * 64, user=resident.id))

    response = await client.submit(
        f"/admin/konten/{resident.id}/sperren", {"back": "/admin/konten?suche=bertha"}
    )

    assert response.status_code == 303
    assert response.headers["location"] == "/admin/konten?suche=bertha"
    assert (await user_by_email("bertha@example.org")).is_active is False
    assert await LoginSession.count().where(LoginSession.user == resident.id) == 0
    page = await client.get(response.headers["location"])
    assert "Das Konto wurde gesperrt" in page.text and "gesperrt" in page.text

    again = await client.submit(f"/admin/konten/{resident.id}/freischalten", {})
    assert again.headers["location"] == "/admin/konten"
    assert (await user_by_email("bertha@example.org")).is_active is True


async def test_back_target_must_be_an_admin_page(client, admin):
    resident = await make_user()
    response = await client.submit(
        f"/admin/konten/{resident.id}/sperren", {"back": "https://evil.example/"}
    )
    assert response.headers["location"] == "/admin/konten"


async def test_admin_cannot_lock_themselves_out(client, admin):
    response = await client.submit(f"/admin/konten/{admin.id}/sperren", {})
    assert response.status_code == 403
    assert (await user_by_email(admin.email)).is_active is True


async def test_deactivating_an_unknown_account_is_a_404(client, admin):
    assert (await client.submit("/admin/konten/99999/sperren", {})).status_code == 404


async def test_password_of_invited_staff_is_unusable_until_set(client, admin):
    organisation = await make_organisation()
    await client.submit(
        "/admin/konten/neu",
        {
            "email": "neu@lindenau.example",
            "display_name": "Neu",
            "role": "officer",
            "organisation": str(organisation.id),
        },
    )
    user = await user_by_email("neu@lindenau.example")
    assert not verify_password(user.password_hash, "")


async def test_placeholders_of_anonymised_sign_ups_are_no_ones_account(client, admin):
    """Retention moves old sign-ups to placeholder accounts; the admin list and the counts
    show people only."""
    resident = await make_user(email="frueher@example.org")
    session = await make_session(
        await make_opportunity(await make_organisation()), starts_in=-dt.timedelta(days=9)
    )
    await SignUp(session=session.id, user=resident.id, status="registered").save()
    await anonymise_participation(resident.id, utcnow())

    listing = (await client.get("/admin/konten")).text
    index = " ".join((await client.get("/admin")).text.split())

    assert "anonymisiert.invalid" not in listing
    assert "frueher@example.org" in listing
    assert await User.count() == 3  # admin, resident, placeholder
    assert "anonym-" not in index
