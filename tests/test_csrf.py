"""CSRF tokens bound to the session: a cookie and token pair from someone else's visit,
planted in the victim's browser, no longer passes for the victim's session."""

from __future__ import annotations

import re

import httpx
import pytest

from boerse.accounts.auth import SESSION_COOKIE
from boerse.lib.csrf import CSRF_COOKIE
from tests.support.factories import PASSWORD, make_user, sign_in
from tests.support.fixtures import Client

TOKEN = re.compile(r'name="_csrf_token" value="([^"]+)"')


@pytest.fixture
async def attacker(app) -> Client:
    async with Client(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as c:
        yield c


async def page_token(client: Client, path: str) -> str:
    """The token a form on this page carries, as a browser would submit it."""
    response = await client.get(path)
    assert response.status_code == 200, path
    return TOKEN.search(response.text)[1]


def cookie(client: Client, name: str) -> str:
    values = [c.value for c in client.cookies.jar if c.name == name]
    assert len(values) == 1, (name, values)
    return values[0]


def plant(client: Client, name: str, value: str) -> None:
    """What a sibling subdomain or a plain-http response can do to the victim's browser."""
    for existing in [c for c in client.cookies.jar if c.name == name]:
        client.cookies.jar.clear(existing.domain, existing.path, existing.name)
    client.cookies.set(name, value, domain="testserver.local", path="/")


async def log_out(client: Client, token: str) -> httpx.Response:
    return await client.post("/konto/abmelden", data={"_csrf_token": token})


async def still_signed_in(client: Client) -> bool:
    return "Meine Termine" in (await client.get("/impressum")).text


async def test_pair_from_an_anonymous_visit_is_refused_for_a_session(client, attacker) -> None:
    token = await page_token(attacker, "/konto/anmelden")
    await sign_in(client, await make_user())
    plant(client, CSRF_COOKIE, cookie(attacker, CSRF_COOKIE))

    response = await log_out(client, token)

    assert response.status_code == 403
    assert "Kein Zugriff" in response.text
    assert await still_signed_in(client)


async def test_pair_from_another_accounts_session_is_refused(client, attacker) -> None:
    await sign_in(attacker, await make_user())
    token = await page_token(attacker, "/impressum")  # the logout form in the header
    await sign_in(client, await make_user())
    await client.get("/impressum")
    # Whatever CSRF cookie the attacker's browser holds goes along with the token.
    for planted in [c.value for c in attacker.cookies.jar if c.name == CSRF_COOKIE]:
        plant(client, CSRF_COOKIE, planted)

    assert (await log_out(client, token)).status_code == 403
    assert await still_signed_in(client)
    # The same token in the attacker's own browser is fine: it is bound to their session.
    assert (await log_out(attacker, token)).status_code == 303


async def test_own_token_from_the_page_is_accepted(client) -> None:
    await sign_in(client, await make_user())
    token = await page_token(client, "/impressum")

    response = await log_out(client, token)

    assert response.status_code == 303
    assert not await still_signed_in(client)


async def test_token_from_before_the_login_is_refused_after_it(client) -> None:
    user = await make_user()
    before = await page_token(client, "/konto/anmelden")
    pre_session = cookie(client, CSRF_COOKIE)

    login = await client.post(
        "/konto/anmelden",
        data={"email": user.email, "password": PASSWORD, "_csrf_token": before},
    )

    assert login.status_code == 303
    assert SESSION_COOKIE in login.cookies
    # The login replaced the pre-session cookie: a planted value does not outlive it.
    assert login.cookies[CSRF_COOKIE] != pre_session
    assert (await log_out(client, before)).status_code == 403
    assert await still_signed_in(client)
    assert (await log_out(client, await page_token(client, "/impressum"))).status_code == 303


async def test_anonymous_forms_work_with_the_token_of_their_page(client) -> None:
    token = await page_token(client, "/konto/passwort-vergessen")
    response = await client.post(
        "/konto/passwort-vergessen", data={"email": "jemand@example.org", "_csrf_token": token}
    )
    assert response.status_code == 303


async def test_form_errors_come_back_with_a_token_that_works(client) -> None:
    user = await make_user()
    first = await page_token(client, "/konto/anmelden")
    wrong = await client.post(
        "/konto/anmelden", data={"email": user.email, "password": "falsch", "_csrf_token": first}
    )
    assert wrong.status_code == 400
    again = TOKEN.search(wrong.text)[1]
    assert again != first  # a fresh nonce on every page
    login = await client.post(
        "/konto/anmelden", data={"email": user.email, "password": PASSWORD, "_csrf_token": again}
    )
    assert login.status_code == 303


async def test_the_header_carries_the_token_too(client) -> None:
    await sign_in(client, await make_user())
    token = await page_token(client, "/impressum")
    response = await client.post("/konto/abmelden", headers={"x-csrftoken": token})
    assert response.status_code == 303


@pytest.mark.parametrize("token", ["", "kein-token", "abc.def", "."])
async def test_missing_or_malformed_tokens_are_refused(client, token: str) -> None:
    await sign_in(client, await make_user())
    await client.get("/impressum")
    assert (await log_out(client, token)).status_code == 403
    assert await still_signed_in(client)


async def test_a_post_without_any_cookie_is_refused(client) -> None:
    response = await client.post("/konto/passwort-vergessen", data={"email": "a@example.org"})
    assert response.status_code == 403
    assert "Kein Zugriff" in response.text


async def test_static_files_and_health_checks_set_no_cookie(client) -> None:
    assert "set-cookie" not in (await client.get("/static/app.css")).headers
    assert "set-cookie" not in (await client.get("/healthz")).headers
