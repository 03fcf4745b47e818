"""Words typed into the public list's search: control characters are spaces, never a 500."""

from __future__ import annotations

from boerse.opportunities.schemas import parse_filters


def test_control_characters_become_spaces() -> None:
    assert parse_filters({"q": "Bäume\x00pflanzen\t im\nPark"}).text == "Bäume pflanzen im Park"


async def test_the_list_answers_words_with_a_nul(client) -> None:
    response = await client.get("/angebote", params={"q": "a\x00b"})
    assert response.status_code == 200
