"""Security headers on every response: pages, static files, redirects, error pages, feeds.

The pages need nothing from another origin and run no inline code: the policy allows only
this site's own scripts, stylesheets, fonts and images (plus `data:` images, which KERN's
stylesheet uses for icons), forms that post back here, and no framing. Tokens travel in
some addresses (survey, password reset), so the Referer never leaves the site; the survey
page sends the stricter `no-referrer` itself, and a header a handler set is kept.

Applied as a Litestar `before_send` hook rather than as route middleware: route middleware
does not see the router's own 404 and 405 answers for addresses no route matches."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope


def content_security_policy(frame_ancestors: str = "'none'", tile_origin: str = "") -> str:
    """The policy of every page; only the embeddable widget names other `frame_ancestors`
    (the hosts an admin allowed), all else stays the same. A configured map tile server
    (`MAP_TILE_URL`) is the one other origin images may come from, and only then."""
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            " ".join(("img-src 'self' data:", tile_origin)).strip(),
            "font-src 'self'",
            "form-action 'self'",
            f"frame-ancestors {frame_ancestors}",
            "base-uri 'none'",
            "object-src 'none'",
        )
    )


CONTENT_SECURITY_POLICY = content_security_policy()
HSTS = "max-age=31536000; includeSubDomains"
# The features a page of ours could be asked for by an injected script; none is used.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


def security_headers(https: bool, tile_origin: str = "") -> dict[str, str]:
    """The headers every response carries; HSTS only for a site served over https (a browser
    ignores it over http, and a development server on http://localhost must stay usable)."""
    headers = {
        "Content-Security-Policy": content_security_policy(tile_origin=tile_origin),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Permissions-Policy": PERMISSIONS_POLICY,
    }
    if https:
        headers["Strict-Transport-Security"] = HSTS
    return headers


def security_headers_hook(
    base_url: str, tile_origin: str = ""
) -> Callable[[Message, Scope], Awaitable[None]]:
    """A `before_send` hook adding the headers to each response start it sees; a header the
    handler set already (the survey's `Referrer-Policy: no-referrer`) is left as it is."""
    headers = security_headers(base_url.startswith("https://"), tile_origin)

    async def add_security_headers(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        present = MutableScopeHeaders.from_message(message)
        for name, value in headers.items():
            if name not in present:
                present.add(name, value)

    return add_security_headers
