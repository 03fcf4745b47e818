"""HTTP caching and compression (boerse/lib/caching.py): fingerprinted static files with a
long cache, ETags and 304 for anonymous pages only, gzip of large text responses."""

from __future__ import annotations

import gzip
import re

from boerse.lib.caching import IMMUTABLE, SHORT, accepts_gzip, etag_matches
from tests.support.factories import PASSWORD, make_opportunity, make_organisation, make_user
from tests.support.fixtures import login


async def test_a_page_links_static_files_with_their_hash_and_they_are_cached_for_a_year(
    client,
) -> None:
    page = await client.get("/impressum")
    links = re.findall(r'(?:href|src)="(/static/[^"]+\?v=[0-9a-f]{12})"', page.text)
    assert len(links) == 4, links
    for link in links:
        response = await client.get(link)
        assert response.status_code == 200
        assert response.headers["cache-control"] == IMMUTABLE


async def test_a_static_file_without_or_with_a_stale_hash_gets_a_short_cache(client) -> None:
    assert (await client.get("/static/app.css")).headers["cache-control"] == SHORT
    assert (await client.get("/static/app.css?v=000000000000")).headers["cache-control"] == SHORT


async def test_a_repeated_anonymous_get_is_answered_with_304(client) -> None:
    await make_opportunity(await make_organisation())
    # The very first visit sets the pre-session CSRF cookie: no ETag on a response that sets one.
    visit = await client.get("/angebote")
    assert "set-cookie" in visit.headers and "etag" not in visit.headers
    first = await client.get("/angebote")
    assert first.status_code == 200 and "set-cookie" not in first.headers
    etag = first.headers["etag"]
    assert etag.startswith('W/"') and first.headers["cache-control"] == "no-cache"
    again = await client.get("/angebote", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    assert again.headers["content-security-policy"]  # the security headers stay
    other = await client.get("/angebote", headers={"If-None-Match": 'W/"something-else"'})
    assert other.status_code == 200 and other.text == first.text


async def test_no_etag_on_a_page_with_a_csrf_token(client) -> None:
    response = await client.get("/konto/anmelden")
    assert response.status_code == 200 and "_csrf_token" in response.text
    assert "etag" not in response.headers
    assert response.headers["cache-control"] == "private, no-cache"


async def test_no_etag_for_a_signed_in_resident(client) -> None:
    await make_user(email="ida@example.org")
    await login(client, "ida@example.org", PASSWORD)
    response = await client.get("/angebote")
    assert response.status_code == 200
    assert "etag" not in response.headers
    assert response.headers["cache-control"] == "private, no-cache"
    repeated = await client.get("/angebote", headers={"If-None-Match": "*"})
    assert repeated.status_code == 200


async def test_large_responses_are_gzipped_when_accepted(client) -> None:
    plain = await client.get("/angebote", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    zipped = await client.get("/angebote", headers={"Accept-Encoding": "gzip, br"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["vary"]
    # httpx decodes it; the bytes on the wire are the gzip stream of the same page.
    assert zipped.text == plain.text
    css = await client.get("/static/kern.min.css", headers={"Accept-Encoding": "gzip"})
    assert css.headers["content-encoding"] == "gzip"
    assert int(css.headers["content-length"]) < len(css.content) / 3


async def test_small_responses_are_not_compressed(client) -> None:
    # A 359-byte stylesheet that KERN ships: below the 500-byte threshold.
    small = await client.get("/static/fonts/noto-sans.css", headers={"Accept-Encoding": "gzip"})
    assert small.status_code == 200 and len(small.content) < 500
    assert "content-encoding" not in small.headers
    assert int(small.headers["content-length"]) == len(small.content)


def test_the_header_parsing() -> None:
    assert accepts_gzip("gzip, deflate, br") and accepts_gzip("br;q=1, gzip;q=0.5")
    assert not accepts_gzip("gzip;q=0") and not accepts_gzip("br") and not accepts_gzip("")
    assert etag_matches('W/"a", W/"b"', 'W/"b"') and etag_matches('"b"', 'W/"b"')
    assert etag_matches("*", 'W/"b"') and not etag_matches('W/"c"', 'W/"b"')
    assert gzip.decompress(gzip.compress(b"x", mtime=0)) == b"x"
