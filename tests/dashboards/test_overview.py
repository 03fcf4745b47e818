"""The public results overview reads the worker's rollups: its cost does not follow the
number of answers, and it says how fresh its figures are."""

from __future__ import annotations

from boerse.dashboards.rollup import refresh_rollups
from boerse.opportunities.tables import Mode
from tests.dashboards.test_routes import opportunity_with_answers


async def test_overview_says_the_figures_are_not_built_yet_then_how_fresh(client) -> None:
    await opportunity_with_answers(answers=5, title="Fünf Antworten")

    before = await client.get("/ergebnisse")
    assert "zum ersten Mal berechnet" in before.text
    assert "Fünf Antworten" not in before.text

    await refresh_rollups(full=True)
    after = await client.get("/ergebnisse")
    assert "Stand: gerade eben" in after.text
    assert "Fünf Antworten</a>" in after.text
    assert "5 Antworten · Gesamtbewertung 4,6 von 5" in after.text


async def test_overview_runs_the_same_queries_at_any_number_of_answers(
    client, count_queries
) -> None:
    await opportunity_with_answers(answers=5)
    await refresh_rollups(full=True)
    with count_queries() as small:
        assert (await client.get("/ergebnisse")).status_code == 200
    for mode in (Mode.CO_ASSESS, Mode.CO_DESIGN, Mode.CO_COMMISSION):
        await opportunity_with_answers(answers=12, mode=mode)
    await refresh_rollups(full=True)
    with count_queries() as large:
        response = await client.get("/ergebnisse")

    assert response.text.count("12 Antworten") == 3
    assert small.count == large.count
    assert large.count <= 8


async def test_overview_links_the_next_page_of_offers_only_when_there_is_one(client) -> None:
    await opportunity_with_answers(answers=5, title="Fünf Antworten")
    await refresh_rollups(full=True)

    response = await client.get("/ergebnisse?seite=1")

    assert "Fünf Antworten</a>" in response.text
    assert "Nächste Seite" not in response.text
    assert (await client.get("/ergebnisse?seite=0")).status_code == 400
