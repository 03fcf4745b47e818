"""The API over HTTP: ETag and 304, CORS preflight, the rate limit, problem details."""

from __future__ import annotations

from boerse.api.router import API_PATH
from boerse.settings import get_settings


async def test_etag_and_if_none_match_give_304(client) -> None:
    first = await client.get(f"{API_PATH}/fields")
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "no-cache"

    again = await client.get(f"{API_PATH}/fields", headers={"If-None-Match": etag})

    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["access-control-allow-origin"] == "*"


async def test_no_etag_for_a_request_with_a_cookie(client) -> None:
    response = await client.get(f"{API_PATH}/fields", headers={"Cookie": "boerse_session=x"})
    assert response.status_code == 200
    assert "etag" not in response.headers


async def test_preflight_allows_reading_from_any_origin(client) -> None:
    response = await client.options(
        f"{API_PATH}/opportunities",
        headers={
            "Origin": "https://verein.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    assert response.status_code in (200, 204)
    assert response.headers["access-control-allow-origin"] == "*"
    assert "GET" in response.headers["access-control-allow-methods"]
    assert "If-None-Match" in response.headers["access-control-allow-headers"]
    assert "access-control-allow-credentials" not in response.headers


async def test_a_client_over_its_limit_gets_429_with_retry_after(client) -> None:
    limit = get_settings().api_requests_per_minute
    for _ in range(limit):
        assert (await client.get(f"{API_PATH}/skills")).status_code == 200

    refused = await client.get(f"{API_PATH}/skills")

    assert refused.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.headers["ratelimit-remaining"] == "0"


async def test_unknown_api_path_and_csp_on_json(client) -> None:
    for path in ("/opportunities/abc", "/opportunities/1/nothing", "/nothing", "/x.json"):
        response = await client.get(f"{API_PATH}{path}")
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("application/problem+json")
    for method in ("DELETE", "TRACE"):
        wrong_method = await client.request(method, f"{API_PATH}/skills")
        assert wrong_method.status_code == 405
        assert wrong_method.headers["content-type"].startswith("application/problem+json")
        assert "GET" in wrong_method.headers["allow"]  # RFC 9110: a 405 names what works
    # OPTIONS names every method of the path, also where several handlers share it.
    options = await client.options(f"{API_PATH}/partner/opportunities")
    assert options.headers["allow"] == "GET, OPTIONS, POST"
    fine = await client.get(f"{API_PATH}/skills")
    assert "default-src 'self'" in fine.headers["content-security-policy"]
    assert fine.headers["x-content-type-options"] == "nosniff"


async def test_without_redis_the_api_stays_open(client, app_on, flaky_redis) -> None:
    """Fail open, as the login limits: a queue outage must not take the public data down."""
    flaky_redis.stop()

    response = await client.get(f"{API_PATH}/opportunities")

    assert response.status_code == 200
    assert response.headers["ratelimit-remaining"] == str(get_settings().api_requests_per_minute)
