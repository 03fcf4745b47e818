"""The app starts, serves its static pages and shows error pages instead of tracebacks."""

from __future__ import annotations

from tests.support.factories import make_user, sign_in


async def test_imprint_renders_in_german(client) -> None:
    response = await client.get("/impressum")
    assert response.status_code == 200
    assert '<html lang="de"' in response.text
    assert "Impressum" in response.text


async def test_unknown_page_is_a_friendly_404(client) -> None:
    response = await client.get("/gibt-es-nicht")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.text


async def test_signed_in_user_sees_personal_navigation(client) -> None:
    await sign_in(client, await make_user())
    response = await client.get("/impressum")
    assert "Meine Termine" in response.text


async def test_post_without_csrf_token_gets_the_no_access_page(client) -> None:
    await sign_in(client, await make_user())
    response = await client.post("/konto/abmelden", data={})
    assert response.status_code == 403
    assert "Kein Zugriff" in response.text
    assert "Meine Termine" in (await client.get("/impressum")).text  # still logged in
