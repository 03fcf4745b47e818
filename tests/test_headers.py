"""Security headers on every kind of response, and templates that a strict
Content-Security-Policy does not break (no inline style, script or event handler)."""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from boerse.lib.headers import CONTENT_SECURITY_POLICY, HSTS
from boerse.settings import get_settings
from tests.support.factories import make_opportunity, make_organisation
from tests.surveys.helpers import make_invitation, make_signup, past_session

TEMPLATES = Path(__file__).resolve().parents[1] / "boerse" / "templates"
EXPECTED = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}


def assert_secured(response: httpx.Response) -> None:
    for name, value in EXPECTED.items():
        assert response.headers.get_list(name) == [value], (response.url, name)


def test_the_policy_is_strict() -> None:
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/impressum", 200),  # a page
        ("/static/app.css", 200),  # a static file
        ("/gibt-es-nicht", 404),  # no route matches: the router's own answer
        ("/angebote/999999", 404),  # a route's 404
        ("/konto", 303),  # a redirect (to the login)
        ("/kalender/unbekannt.ics", 404),
    ],
)
async def test_every_response_carries_the_headers(client, path: str, status: int) -> None:
    response = await client.get(path)
    assert response.status_code in ((302, 303) if status == 303 else (status,)), response.text
    assert_secured(response)
    assert "strict-transport-security" not in response.headers


async def test_a_refused_post_carries_the_headers(client) -> None:
    response = await client.post("/konto/anmelden", data={"email": "x"})
    assert response.status_code == 403
    assert_secured(response)


async def test_the_survey_keeps_its_stricter_referrer_policy(client) -> None:
    session = await past_session(await make_opportunity(await make_organisation()))
    token = await make_invitation(await make_signup(session))
    response = await client.get(f"/umfrage/{token}")
    assert response.status_code == 200
    assert response.headers.get_list("referrer-policy") == ["no-referrer"]
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY


@pytest.fixture
def https_settings() -> Iterator[None]:
    previous = os.environ.get("BASE_URL")
    os.environ["BASE_URL"] = "https://boerse.lindenau.example"
    get_settings.cache_clear()
    yield
    if previous is None:
        os.environ.pop("BASE_URL")
    else:
        os.environ["BASE_URL"] = previous
    get_settings.cache_clear()


@pytest.fixture
async def https_client(https_settings: None, database: None) -> AsyncIterator[httpx.AsyncClient]:
    from boerse.app import create_app

    transport = httpx.ASGITransport(app=create_app())
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as http:
        yield http


@pytest.mark.parametrize("path", ["/static/app.css", "/gibt-es-nicht"])
async def test_hsts_only_when_the_site_is_served_over_https(https_client, path: str) -> None:
    response = await https_client.get(path)
    assert response.headers.get_list("strict-transport-security") == [HSTS]
    assert_secured(response)


# ------------------------------------------------------------- templates under the policy

# Inline code or style the policy refuses: style attributes and elements, scripts without
# src, event handler attributes (onclick=…), javascript: links. One script element without
# src is allowed, exactly as written: `<script type="application/ld+json">`, a data block
# (schema.org structured data) that browsers never execute.
JSON_LD_OPENING = '<script type="application/ld+json">'
INLINE = {
    "style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "style element": re.compile(r"<style[\s>]", re.IGNORECASE),
    "inline script": re.compile(
        r"<script(?![^>]*\ssrc=)(?!" + re.escape(JSON_LD_OPENING[len("<script") :]) + r")[^>]*>",
        re.IGNORECASE,
    ),
    "event handler": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "javascript: URL": re.compile(r"(href|src|action)\s*=\s*[\"']?\s*javascript:", re.IGNORECASE),
    "htmx inline code": re.compile(r"\s(hx-on[:-]|hx-vars=|js:)", re.IGNORECASE),
}


def page_templates() -> list[Path]:
    """Every template a browser renders; emails keep inline styles (mail clients need them,
    and no Content-Security-Policy applies to them)."""
    return sorted(
        path
        for path in TEMPLATES.rglob("*.html")
        if path.relative_to(TEMPLATES).parts[0] != "emails"
    )


def without_comments(source: str) -> str:
    """Jinja and HTML comments blanked out, line numbers kept."""
    return re.sub(
        r"\{#.*?#\}|<!--.*?-->", lambda m: "\n" * m[0].count("\n"), source, flags=re.DOTALL
    )


def test_templates_have_no_inline_style_script_or_handler() -> None:
    templates = page_templates()
    assert len(templates) > 30
    found = [
        f"{path.relative_to(TEMPLATES)}:{number}: {kind}"
        for path in templates
        for number, line in enumerate(without_comments(path.read_text()).splitlines(), 1)
        for kind, pattern in INLINE.items()
        if pattern.search(line)
    ]
    assert found == []


def test_only_the_exact_json_ld_data_block_is_allowed_as_a_script_without_src() -> None:
    script = INLINE["inline script"]
    assert not script.search(JSON_LD_OPENING)
    assert not script.search('<script src="/static/htmx.min.js" defer>')
    for refused in (
        "<script>",
        '<script type="module">',
        '<script type="application/ld+json" async>',
        '<script type="text/javascript">',
        '<script type="application/json">',
    ):
        assert script.search(refused), refused


def test_htmx_adds_no_inline_style_and_evaluates_nothing() -> None:
    """htmx inserts a <style> for its indicators unless told not to (the policy would refuse
    it and Chromium reports a violation on every page)."""
    base = (TEMPLATES / "base.html").read_text()
    assert (
        """<meta name="htmx-config" content='{"includeIndicatorStyles": false, "allowEval": false"""
        in base
    )


def test_the_compose_proxy_sets_the_same_headers() -> None:
    """Caddy in compose.yaml adds the application's headers where a response lacks them
    (its own 502 included), HSTS only for https requests."""
    import yaml

    from boerse.lib.headers import security_headers

    compose = yaml.safe_load((TEMPLATES.parents[1] / "compose.yaml").read_text())
    caddyfile = compose["configs"]["caddyfile"]["content"]
    for name, value in security_headers(https=False).items():
        assert f'?{name} "{value}"' in caddyfile, name
    assert f'header @https ?Strict-Transport-Security "{HSTS}"' in caddyfile
    assert "@https protocol https" in caddyfile
    assert caddyfile.count("import security_headers") == 2  # responses and handle_errors


async def test_a_fingerprinted_static_file_is_cached_for_a_year_and_keeps_the_headers(
    client,
) -> None:
    page = await client.get("/impressum")
    link = re.search(r'href="(/static/app\.css\?v=[0-9a-f]{12})"', page.text)
    assert link, page.text[:500]
    response = await client.get(link.group(1), headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["content-encoding"] == "gzip"
    assert_secured(response)


async def test_a_304_keeps_the_headers(client) -> None:
    await client.get("/impressum")  # the first visit sets the pre-session cookie
    first = await client.get("/impressum")
    again = await client.get("/impressum", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert_secured(again)
