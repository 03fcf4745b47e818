"""The opportunities of the public API: the list's filters, paging, one offer, no drafts."""

from __future__ import annotations

import datetime as dt

from boerse.opportunities.tables import OpportunityStatus
from tests.support.factories import make_opportunity, make_organisation, make_session


async def test_list_shows_published_offers_only_with_next_date_and_offset(client) -> None:
    organisation = await make_organisation("Grünflächenamt")
    shown = await make_opportunity(organisation, title="Bäume pflanzen", contact_email="a@b.de")
    await make_session(shown, capacity=8)
    await make_opportunity(organisation, status=OpportunityStatus.DRAFT, title="Entwurf")
    await make_opportunity(organisation, status=OpportunityStatus.CLOSED, title="Geschlossen")

    response = await client.get("/api/v1/opportunities")

    assert response.status_code == 200, response.text
    body = response.json()
    assert [item["title"] for item in body["items"]] == ["Bäume pflanzen"]
    assert body["total"] == 1 and body["next"] is None
    item = body["items"][0]
    assert item["id"] == shown.id
    assert item["organisation"] == {"id": organisation.id, "name": "Grünflächenamt"}
    assert item["field"]["slug"] == "environment"
    assert item["next_date"]["free_places"] == 8
    starts = dt.datetime.fromisoformat(item["next_date"]["starts_at"])
    assert starts.utcoffset() in (dt.timedelta(hours=1), dt.timedelta(hours=2))
    assert item["url"].endswith(f"/angebote/{shown.id}")
    assert "a@b.de" not in response.text


async def test_filters_mean_what_they_mean_on_the_list(client) -> None:
    town, club = await make_organisation(), await make_organisation()
    near = await make_opportunity(town, postcode="04109", field="environment")
    far = await make_opportunity(club, postcode="80331", field="culture")
    for offer in (near, far):
        await make_session(offer)

    async def ids(**params: str) -> list[int]:
        response = await client.get("/api/v1/opportunities", params=params)
        assert response.status_code == 200, response.text
        return [item["id"] for item in response.json()["items"]]

    assert await ids(field="culture") == [far.id]
    assert await ids(organisation=str(town.id)) == [near.id]
    assert await ids(postcode="04177", radius_km="20") == [near.id]
    later = (dt.datetime.now(dt.UTC) + dt.timedelta(days=30)).isoformat()
    assert await ids(changed_since=later) == []
    assert await ids(changed_since="2000-01-01T00:00:00Z", field="culture") == [far.id]


async def test_cursor_pages_through_every_offer_once(client) -> None:
    organisation = await make_organisation()
    created = []
    for days in range(5):
        offer = await make_opportunity(organisation)
        await make_session(offer, starts_in=dt.timedelta(days=days + 1))
        created.append(offer.id)

    seen, url = [], "/api/v1/opportunities?limit=2&mode=co_deliver"
    while url:
        response = await client.get(url)
        assert response.status_code == 200, response.text
        seen += [item["id"] for item in response.json()["items"]]
        url = response.json()["next"]
        if url:
            assert response.headers["link"] == f'<{url}>; rel="next"'
            assert "mode=co_deliver" in url
            url = url.removeprefix("http://127.0.0.1:8000")
    assert seen == created


async def test_bad_parameters_are_problem_details_naming_each(client) -> None:
    response = await client.get(
        "/api/v1/opportunities",
        params={"field": "nope", "postcode": "00000", "limit": "0", "cursor": "x"},
    )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    names = {item["name"] for item in response.json()["invalid-params"]}
    assert "limit" in names

    response = await client.get(
        "/api/v1/opportunities",
        params={"field": "nope", "postcode": "00000", "to": "2026-01-01", "from": "2026-02-01"},
    )
    assert response.status_code == 400
    assert {i["name"] for i in response.json()["invalid-params"]} == {"field", "postcode", "to"}

    for params in (
        {"cursor": "eyJwIjoiYSJ9"},
        {"q": "a\x00b"},
        {"changed_since": "2026-01-01T10:00:00"},
        {"changed_since": "0.5"},  # not seconds since 1970: the schema says date-time
        {"changed_since": "2026-02-30T10:00:00Z"},
    ):
        response = await client.get("/api/v1/opportunities", params=params)
        assert response.status_code == 400, (params, response.text)
        assert response.json()["invalid-params"][0]["name"] == next(iter(params))


async def test_one_offer_with_its_coming_dates_and_free_places(client) -> None:
    organisation = await make_organisation()
    offer = await make_opportunity(
        organisation,
        min_age=16,
        contact_name="Frau Muster",
        languages=["de", "en"],
        accessibility_features=["wheelchair"],
    )
    await make_session(offer, starts_in=dt.timedelta(days=-2))
    coming = await make_session(offer, capacity=4, seats_taken=3)

    response = await client.get(f"/api/v1/opportunities/{offer.id}")

    assert response.status_code == 200, response.text
    body = response.json()
    assert [date["id"] for date in body["dates"]] == [coming.id]
    assert body["dates"][0]["free_places"] == 1 and body["dates"][0]["full"] is False
    assert body["open_to_minors"] is True and body["min_age"] == 16
    assert body["languages"] == ["de", "en"]
    assert body["accessibility_features"] == ["wheelchair"]
    assert "Muster" not in response.text


async def test_drafts_and_unknown_ids_are_404_problems(client) -> None:
    draft = await make_opportunity(await make_organisation(), status=OpportunityStatus.DRAFT)
    for path in (f"/api/v1/opportunities/{draft.id}", "/api/v1/opportunities/99999"):
        response = await client.get(path)
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["status"] == 404


async def test_a_page_costs_the_same_queries_for_2_or_12_offers(client, count_queries) -> None:
    organisation = await make_organisation()

    async def add(n: int) -> None:
        for _ in range(n):
            offer = await make_opportunity(organisation)
            await make_session(offer)

    await add(2)
    await client.get("/api/v1/opportunities")  # taxonomy and statements warmed
    with count_queries() as few:
        assert len((await client.get("/api/v1/opportunities")).json()["items"]) == 2
    await add(10)
    with count_queries() as many:
        assert len((await client.get("/api/v1/opportunities")).json()["items"]) == 12
    # Not per offer (ten more would show); the taxonomy's cached reading may save one.
    assert many.count <= few.count
