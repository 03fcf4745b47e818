"""The shape of a partner's API key, made and taken apart without any database.

A key is `mbp_<prefix>_<secret>`: the prefix (12 hex characters) is public, it finds the
row and names the key in lists and audit entries; the secret (256 random bits) is shown
once and kept only as its SHA-256. A plain hash suffices because the secret is random and
long: there is nothing to guess from a dictionary, unlike a password."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

from boerse.lib.security import hash_token

KEY_MARK = "mbp"
PREFIX_BYTES = 6


@dataclass(frozen=True)
class NewKey:
    key: str
    """The whole key, for the admin's screen only (never stored, never logged)."""
    prefix: str
    secret_hash: str


@dataclass(frozen=True)
class PresentedKey:
    prefix: str
    secret: str


def new_key() -> NewKey:
    prefix = secrets.token_hex(PREFIX_BYTES)
    secret = secrets.token_urlsafe(32)
    return NewKey(f"{KEY_MARK}_{prefix}_{secret}", prefix, hash_token(secret))


def split_key(key: str) -> PresentedKey | None:
    """The parts of a key as sent, or None for anything that cannot be one of ours."""
    mark, _, rest = key.strip().partition("_")
    prefix, _, secret = rest.partition("_")
    if mark != KEY_MARK or len(prefix) != 2 * PREFIX_BYTES or len(secret) < 32:
        return None
    if any(c not in "0123456789abcdef" for c in prefix):
        return None
    return PresentedKey(prefix, secret)


def secret_matches(secret: str, secret_hash: str) -> bool:
    return hmac.compare_digest(hash_token(secret), secret_hash)


def bearer_key(authorization: str | None) -> str | None:
    """The key of an `Authorization: Bearer <key>` header (scheme case-blind, RFC 7235)."""
    scheme, _, credentials = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        return None
    return credentials.strip()
