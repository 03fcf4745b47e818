"""Logo uploads: which bytes we accept and how a browser may cache them.

The type is read from the file's first bytes, never from its name or the browser's claimed
content type: a file called `logo.png` that is really HTML or SVG (which can carry script)
is refused. Only raster formats every browser shows are taken."""

from __future__ import annotations

import datetime as dt
import hashlib

MAX_LOGO_BYTES = 500 * 1024
"""Half a megabyte is plenty for a logo shown at most a few hundred pixels wide; the bytes
live in the database, so every extra kilobyte is read on each (uncached) request."""

_SIGNATURES: tuple[tuple[bytes, int, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", 0, "image/png"),
    (b"\xff\xd8\xff", 0, "image/jpeg"),
)


def sniff_image_type(data: bytes) -> str | None:
    """The MIME type of a PNG, JPEG or WebP file by its magic bytes; None for anything else."""
    for signature, offset, mime in _SIGNATURES:
        if data[offset : offset + len(signature)] == signature:
            return mime
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def logo_version(updated_at: dt.datetime) -> str:
    """Part of the logo's address: it changes with every save of the organisation, so the
    long browser cache of an old address never shows a replaced logo."""
    return str(int(updated_at.timestamp()))


def logo_etag(data: bytes) -> str:
    return '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
