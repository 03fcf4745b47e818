"""Login, logout, the `next` parameter and the Redis counters behind the login limits
(the policy itself is tested in test_ratelimit)."""

from __future__ import annotations

import datetime as dt

import pytest
from arq import ArqRedis

from boerse.accounts import ratelimit
from boerse.accounts.auth import SESSION_COOKIE
from boerse.accounts.tables import LoginSession, Role
from boerse.lib import queue
from boerse.lib.security import hash_token
from tests.support.factories import PASSWORD, make_profile, make_user, sign_in
from tests.support.services import free_port

WRONG = "falsches-Passwort-123"


async def log_in(client, email: str, password: str = PASSWORD, next_path: str = ""):
    return await client.submit(
        "/konto/anmelden", {"email": email, "password": password, "next": next_path}
    )


async def test_login_opens_a_session_and_goes_to_the_next_page(client):
    user = await make_user(email="anna@example.org")

    response = await log_in(client, "Anna@Example.org", next_path="/profil?tab=zeiten")

    assert response.status_code == 303
    assert response.headers["location"] == "/profil?tab=zeiten"
    token = client.cookies[SESSION_COOKIE]
    session = (
        await LoginSession.objects().where(LoginSession.token_hash == hash_token(token)).first()
    )
    assert session.user == user.id
    page = await client.get("/impressum")
    assert "Sie sind angemeldet." in page.text
    assert "Abmelden" in page.text


async def test_every_login_gets_a_new_session_id(client):
    await make_user(email="anna@example.org")
    client.cookies.set(SESSION_COOKIE, "vom-angreifer-untergeschoben")

    first = (await log_in(client, "anna@example.org")).cookies[SESSION_COOKIE]
    second = (await log_in(client, "anna@example.org")).cookies[SESSION_COOKIE]

    assert len({"vom-angreifer-untergeschoben", first, second}) == 3
    assert await LoginSession.count() == 2


@pytest.mark.parametrize(
    "next_path",
    ["https://evil.example/", "//evil.example/konto", "/\\evil.example", "javascript:alert(1)", ""],
)
async def test_next_leads_only_to_pages_of_this_site(client, next_path: str):
    await make_profile(await make_user(email="anna@example.org"))
    response = await log_in(client, "anna@example.org", next_path=next_path)
    assert response.headers["location"] == "/angebote"


async def test_resident_without_profile_is_sent_to_fill_it_in(client):
    await make_user(email="anna@example.org")
    response = await log_in(client, "anna@example.org")
    assert response.headers["location"] == "/profil"


async def test_staff_land_on_their_work_and_see_their_own_menu(client):
    """Officers land on Verwaltung, admins on Administration; their menu shows their work
    instead of a resident's Empfehlungen, Meine Termine and Profil."""
    await make_user(email="officer@stadt.example", role=Role.OFFICER)
    await make_user(email="admin@stadt.example", role=Role.ADMIN)
    officer = await log_in(client, "officer@stadt.example")
    menu = (await client.get(officer.headers["location"])).text.split("</nav>")[0]
    client.cookies.clear()
    admin = await log_in(client, "admin@stadt.example")

    assert officer.headers["location"] == "/verwaltung/angebote"
    assert admin.headers["location"] == "/admin"
    assert "Verwaltung" in menu and "Mein Konto" in menu
    assert "Meine Termine" not in menu and "Empfehlungen" not in menu


async def test_page_asked_for_wins_over_the_profile_nudge(client):
    await make_user(email="anna@example.org")
    response = await log_in(client, "anna@example.org", next_path="/meine-termine")
    assert response.headers["location"] == "/meine-termine"


async def test_login_form_carries_next_from_the_guard_redirect(client):
    redirect = await client.get("/konto")
    assert redirect.headers["location"] == "/konto/anmelden?next=/konto"

    form = await client.get(redirect.headers["location"])

    assert 'name="next" value="/konto"' in form.text


async def test_wrong_password_and_unknown_email_get_the_same_answer(client):
    await make_user(email="anna@example.org")

    wrong = await log_in(client, "anna@example.org", WRONG)
    unknown = await log_in(client, "niemand@example.org", WRONG)

    assert wrong.status_code == unknown.status_code == 400
    message = "E-Mail-Adresse oder Passwort ist nicht richtig."
    assert message in wrong.text and message in unknown.text
    assert 'value="anna@example.org"' in wrong.text
    assert SESSION_COOKIE not in client.cookies
    assert await LoginSession.count() == 0


async def test_empty_login_form_names_each_missing_field(client):
    response = await log_in(client, "", "")
    assert response.status_code == 400
    assert "Bitte füllen Sie dieses Feld aus." in response.text
    assert "Bitte geben Sie Ihr Passwort ein." in response.text


async def test_deactivated_account_cannot_log_in(client):
    await make_user(email="anna@example.org", is_active=False)
    response = await log_in(client, "anna@example.org")
    assert response.status_code == 400
    assert "Dieses Konto ist gesperrt" in response.text
    assert await LoginSession.count() == 0


async def test_logout_ends_the_session(client):
    await sign_in(client, await make_user())
    assert await LoginSession.count() == 1

    response = await client.submit("/konto/abmelden", {})

    assert response.status_code == 303
    assert await LoginSession.count() == 0
    page = await client.get("/impressum")
    assert "Sie sind abgemeldet." in page.text
    assert "Anmelden" in page.text and "Meine Termine" not in page.text


async def test_signed_in_user_opening_the_login_form_is_sent_on(client):
    await sign_in(client, await make_user())
    response = await client.get("/konto/anmelden?next=/konto")
    assert response.status_code == 303
    assert response.headers["location"] == "/konto"


async def test_count_attempt_is_atomic_and_keeps_the_first_expiry():
    window = dt.timedelta(minutes=15)
    counts = [await ratelimit.count_attempt("ratelimit:test", window) for _ in range(3)]
    assert counts == [1, 2, 3]
    assert 0 < await (await queue.connection()).ttl("ratelimit:test") <= 900


async def test_count_attempt_fails_open_when_redis_is_unreachable(caplog):
    # A real client aimed at a port where nothing listens: the connection really fails.
    unreachable = ArqRedis(host="127.0.0.1", port=free_port(), socket_connect_timeout=1)
    try:
        count = await ratelimit.count_attempt("ratelimit:x", dt.timedelta(minutes=1), unreachable)
    finally:
        await unreachable.aclose()
    assert count == 0
    assert "rate-limit store unreachable" in caplog.text
