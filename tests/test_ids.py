"""A number in a path that no row can have is a 404 on every route and backend, never a 500
(it used to fail in the database driver: int4 on PostgreSQL, int8 on SQLite)."""

from __future__ import annotations

import pytest

from tests.support.factories import make_officer, make_user, sign_in

TOO_LARGE = ["2147483648", "9223372036854775808", "99999999999999999999999"]


@pytest.mark.parametrize("number", TOO_LARGE)
async def test_public_pages_answer_404(client, number: str) -> None:
    for path in (f"/angebote/{number}", f"/termine/{number}/anmelden"):
        response = await client.get(path)
        assert response.status_code == 404, path


@pytest.mark.parametrize("number", TOO_LARGE)
async def test_forms_and_staff_pages_answer_404(client, number: str) -> None:
    await sign_in(client, await make_user())
    assert (await client.submit(f"/termine/{number}/anmelden")).status_code == 404

    await sign_in(client, await make_officer())
    for path in (
        f"/verwaltung/angebote/{number}",
        f"/verwaltung/termine/{number}/teilnehmende",
        f"/verwaltung/angebote/{number}/freiwillige",
    ):
        assert (await client.get(path)).status_code == 404, path


async def test_the_largest_possible_id_is_an_ordinary_404(client) -> None:
    assert (await client.get("/angebote/2147483647")).status_code == 404
