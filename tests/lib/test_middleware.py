"""The request-wide middleware: a notice is shown once, the language choice sticks."""

from __future__ import annotations

from boerse.lib.flash import COOKIE as NOTICE_COOKIE
from tests.support.factories import make_user, sign_in


async def test_a_notice_survives_the_redirect_and_is_cleared_by_the_page_that_shows_it(
    client,
) -> None:
    await sign_in(client, await make_user())
    saved = await client.submit("/konto/abmelden")
    assert f"{NOTICE_COOKIE}=logged_out" in saved.headers["set-cookie"]

    page = await client.get(saved.headers["location"])

    assert page.status_code == 200
    assert "Sie sind abgemeldet" in page.text
    assert f"{NOTICE_COOKIE}=; Max-Age=0" in page.headers["set-cookie"]
    assert NOTICE_COOKIE not in client.cookies
    assert "Sie sind abgemeldet" not in (await client.get("/")).text


async def test_a_redirect_keeps_the_notice_for_the_page_after_it(client) -> None:
    client.cookies.set(NOTICE_COOKIE, "logged_out")
    redirect = await client.get("/profil")  # needs a login: redirects
    assert redirect.status_code == 303
    assert NOTICE_COOKIE not in redirect.headers.get("set-cookie", "")


async def test_the_language_cookie_is_set_only_for_a_supported_choice(client) -> None:
    english = await client.get("/?lang=en")
    assert "boerse_lang=en" in english.headers["set-cookie"]
    assert '<html lang="en"' in english.text
    unknown = await client.get("/?lang=xx")
    assert "boerse_lang=xx" not in unknown.headers.get("set-cookie", "")
