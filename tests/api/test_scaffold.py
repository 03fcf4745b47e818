"""The API's frame: the OpenAPI document describes the API only, CORS, rate-limit headers."""

from __future__ import annotations

import yaml


async def test_openapi_document_lists_only_the_api(client) -> None:
    response = await client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "set-cookie" not in response.headers
    schema = response.json()
    assert schema["openapi"].startswith("3.1")
    assert schema["paths"]
    assert all(path.startswith("/api/v1/") for path in schema["paths"])
    assert "/api/v1/fields" in schema["paths"]
    as_yaml = yaml.safe_load((await client.get("/api/v1/openapi.yaml")).text)
    assert as_yaml["paths"].keys() == schema["paths"].keys()


async def test_fields_of_action_with_cors_and_rate_limit_headers(client) -> None:
    response = await client.get("/api/v1/fields", headers={"Origin": "https://example.org"})
    assert response.status_code == 200
    slugs = [item["slug"] for item in response.json()["items"]]
    assert "environment" in slugs
    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers
    assert response.headers["ratelimit-limit"] == "120"
    assert "set-cookie" not in response.headers
