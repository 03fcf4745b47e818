"""The admin page "Protokoll": who may see it, filters, pages, a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest

from boerse.accounts.tables import Role, User
from boerse.audit.actions import Action
from boerse.audit.context import Actor, acting_as
from boerse.audit.services import ENTRIES_PER_PAGE, record
from boerse.audit.tables import AuditEntry
from boerse.lib.db import write_transaction
from boerse.profiles.services import delete_account
from tests.support.factories import make_officer, make_user, sign_in

PAGE = "/admin/protokoll"


@pytest.fixture
async def admin(client) -> User:
    user = await make_user(email="admin@lindenau.example", role=Role.ADMIN, display_name="Ada")
    await sign_in(client, user)
    return user


async def write(actor: Actor, action: Action, target_id: int = 1, **details) -> None:
    with acting_as(actor):
        async with write_transaction():
            await record(action, target_id, **details)


def officer_actor(user: User) -> Actor:
    return Actor(user.id, "officer", user.display_name, "192.0.2.0/24")


async def test_anonymous_visitors_are_sent_to_the_login(client) -> None:
    response = await client.get(PAGE)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/konto/anmelden")


@pytest.mark.parametrize("make", [make_user, make_officer])
async def test_residents_and_officers_get_403(client, make) -> None:
    await sign_in(client, await make())
    response = await client.get(PAGE)
    assert response.status_code == 403


async def test_admin_sees_entries_newest_first_with_role_network_and_target(client, admin):
    officer = await make_officer(display_name="Olga Amt")
    await write(officer_actor(officer), Action.OPPORTUNITY_PUBLISHED, 7, summary="Lesepaten")
    await write(officer_actor(officer), Action.ATTENDANCE_RECORDED, 9, count=4)

    response = await client.get(PAGE)

    assert response.status_code == 200
    page = response.text
    table = page.split("<tbody", 1)[1]
    assert table.index("Anwesenheit erfasst") < table.index("Angebot veröffentlicht")
    for shown in ("Olga Amt", "Mitarbeitende", "192.0.2.0/24", "Lesepaten", "Termin 9"):
        assert shown in page
    assert "Anzahl: 4" in page
    assert 'href="/admin/protokoll"' in (await client.get("/admin")).text


async def test_filters_by_person_action_and_period(client, admin) -> None:
    olga = await make_officer(display_name="Olga")
    paul = await make_officer(display_name="Paul")
    await write(officer_actor(olga), Action.OPPORTUNITY_PUBLISHED, summary="Olgas Angebot")
    await write(officer_actor(paul), Action.OPPORTUNITY_PUBLISHED, summary="Pauls Angebot")
    await write(officer_actor(paul), Action.OPPORTUNITY_CLOSED, summary="Pauls Altes")
    old = dt.datetime(2026, 1, 15, 12, tzinfo=dt.UTC)
    await AuditEntry.update({AuditEntry.occurred_at: old}).where(
        AuditEntry.summary == "Pauls Altes"
    )

    by_person = (await client.get(PAGE, params={"person": paul.id})).text
    by_action = (await client.get(PAGE, params={"aktion": "opportunity_published"})).text
    by_period = (await client.get(PAGE, params={"von": "2026-01-01", "bis": "2026-01-31"})).text

    assert "Pauls Angebot" in by_person and "Pauls Altes" in by_person
    assert "Olgas Angebot" not in by_person
    assert "Olgas Angebot" in by_action and "Pauls Angebot" in by_action
    assert "Pauls Altes" not in by_action
    assert "Pauls Altes" in by_period
    assert "Olgas Angebot" not in by_period and "Pauls Angebot" not in by_period
    assert f'<option value="{paul.id}" selected>Paul</option>' in by_person


async def test_a_bad_period_is_a_400_that_keeps_what_was_typed(client, admin) -> None:
    response = await client.get(PAGE, params={"von": "32.13.2026", "bis": "2026-01-01"})
    assert response.status_code == 400
    assert "Bitte prüfen Sie Ihre Eingaben" in response.text
    assert 'value="32.13.2026"' in response.text
    reversed_range = await client.get(PAGE, params={"von": "2026-02-01", "bis": "2026-01-01"})
    assert reversed_range.status_code == 400
    assert "Das Ende des Zeitraums liegt vor seinem Anfang." in reversed_range.text


async def test_pages_keep_the_filter(client, admin, count_queries) -> None:
    officer = await make_officer(display_name="Olga")
    for number in range(ENTRIES_PER_PAGE + 3):
        await write(officer_actor(officer), Action.SESSION_ADDED, number)

    with count_queries() as few:
        first = await client.get(PAGE, params={"aktion": "session_added"})
    assert "Seite 1 von 2" in first.text
    assert "?aktion=session_added&amp;seite=2" in first.text
    with count_queries() as many:
        second = await client.get(PAGE, params={"aktion": "session_added", "seite": 2})
    assert "Seite 2 von 2" in second.text
    assert second.text.split("<tbody", 1)[1].count("Termin angelegt") == 3
    assert few.count == many.count


async def test_an_entry_still_names_its_actor_after_the_account_is_gone(client, admin) -> None:
    officer = await make_officer(display_name="Olga Amt")
    await write(officer_actor(officer), Action.OPPORTUNITY_CLOSED, 3)
    await delete_account(officer.id)

    page = (await client.get(PAGE)).text

    assert "Olga Amt" in page and "Angebot beendet" in page


async def test_the_page_speaks_english_too(client, admin) -> None:
    officer = await make_officer(display_name="Olga")
    await write(officer_actor(officer), Action.SESSION_CANCELLED, 4)

    page = (await client.get(PAGE, params={"lang": "en"})).text

    assert "Audit log" in page and "Date cancelled" in page and "1 entry found." in page
