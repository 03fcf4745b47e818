"""Organisations and the public results of the API."""

from __future__ import annotations

from boerse.opportunities.tables import OpportunityStatus
from tests.dashboards.test_transparency_routes import SECRET, six_then_one, this_month
from tests.support.factories import make_opportunity, make_organisation


async def test_organisations_page_by_id_without_contact_data(client) -> None:
    first = await make_organisation("Bürgeramt", contact_email="amt@example.org")
    await make_opportunity(first)
    await make_opportunity(first, status=OpportunityStatus.DRAFT)
    for _ in range(2):
        await make_organisation()

    page = (await client.get("/api/v1/organisations", params={"limit": "2"})).json()

    assert page["items"][0]["id"] == first.id
    assert page["items"][0]["published_opportunities"] == 1
    assert "amt@example.org" not in str(page)
    rest = (await client.get(page["next"].removeprefix("http://127.0.0.1:8000"))).json()
    assert len(rest["items"]) == 1 and rest["next"] is None
    one = await client.get(f"/api/v1/organisations/{first.id}")
    assert one.json()["name"] == "Bürgeramt"
    assert (await client.get("/api/v1/organisations/424242")).status_code == 404


async def test_results_are_the_open_data_figures_with_the_same_cells_withheld(client) -> None:
    """The API reads the open data's rows: the same figures, the same withheld cells."""
    response = await client.get("/api/v1/results")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["minimum_group_size"] == 5
    open_data = (await client.get("/ergebnisse/offene-daten/daten.json")).json()
    assert len(body["items"]) == len(open_data["zeilen"]) > 0
    for item, row in zip(body["items"], open_data["zeilen"], strict=True):
        assert item["month"] == row["monat"]
        assert item["responses"] == row["antworten"]
        assert item["answers_withheld"] == row["antworten_zurueckgehalten"]
        assert item["attended"] == row["teilnahmen"]
        assert item["participation_withheld"] == row["teilnahmen_zurueckgehalten"]
    town = (await client.get("/api/v1/results", params={"view": "town"})).json()["items"]
    assert town and all(item["view"] == "town" and item["key"] == "*" for item in town)
    assert (await client.get("/api/v1/results", params={"view": "x"})).status_code == 400


async def test_a_small_month_is_withheld_in_the_api_as_on_the_results_pages(client) -> None:
    last, _published = await six_then_one()

    body = (await client.get("/api/v1/results", params={"view": "town"})).json()

    months = {item["month"]: item for item in body["items"]}
    assert months[f"{last:%Y-%m}"]["responses"] == 6
    now = months[f"{this_month():%Y-%m}"]
    assert now["responses"] is None and now["answers_withheld"] is True
    assert now["average_rating"] is None
    assert {item["responses"] for item in body["items"]} <= {None, 0, 6}
    assert SECRET not in str(body)
