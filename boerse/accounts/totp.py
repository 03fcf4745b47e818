"""Time-based one-time passwords (RFC 6238) and recovery codes for staff accounts.

Pure functions, no database: the secret, the check of a code against a secret and a time,
the QR code an authenticator app scans, and recovery codes with their hashes. pyotp is the
reference implementation of the RFC; we only add the single-use rule (section 5.2)."""

from __future__ import annotations

import datetime as dt
import hmac
import re
import secrets

import pyotp
import segno

from boerse.lib.security import hash_token

INTERVAL_SECONDS = 30
DIGITS = 6
# One step either side: a phone clock a little off, or a code typed just as it changed.
VALID_WINDOW = 1
RECOVERY_CODE_COUNT = 10
# 16 characters from 31 unambiguous ones (no 0/o, 1/l/i): about 79 random bits per code.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_CODE_LENGTH = 16
_CODE = re.compile(rf"\d{{{DIGITS}}}")


def new_secret() -> str:
    """160 random bits in base32, the length RFC 4226 recommends."""
    return pyotp.random_base32(length=32)


def grouped(secret: str) -> str:
    """The secret in groups of four, easier to type into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def provisioning_uri(secret: str, account: str, issuer: str) -> str:
    return pyotp.TOTP(secret, digits=DIGITS, interval=INTERVAL_SECONDS).provisioning_uri(
        name=account, issuer_name=issuer
    )


def qr_code_data_uri(uri: str) -> str:
    """An SVG image as a data: URI for an <img> (the CSP allows `img-src data:`; no inline
    style is needed, since the SVG is not part of the page's markup). Four pixels per module
    keep even a long e-mail address's code under 260 px, inside a 320 px phone screen."""
    return segno.make(uri, error="m").svg_data_uri(scale=4, border=4)


def time_step(now: dt.datetime) -> int:
    return int(now.timestamp()) // INTERVAL_SECONDS


def matching_step(secret: str, code: str, now: dt.datetime, last_step: int) -> int | None:
    """The time step whose code was typed (now, or one step either side), or None. A step
    at or before `last_step`, the one of the last accepted code, is refused, so a code seen
    over someone's shoulder cannot be used again."""
    code = re.sub(r"\s", "", code)
    if not secret or not _CODE.fullmatch(code):
        return None
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=INTERVAL_SECONDS)
    current = time_step(now)
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if step > last_step and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def new_recovery_codes() -> list[str]:
    return [
        "-".join(
            "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(4))
            for _ in range(RECOVERY_CODE_LENGTH // 4)
        )
        for _ in range(RECOVERY_CODE_COUNT)
    ]


def hash_recovery_code(code: str) -> str:
    """Case, spaces and dashes do not matter when a code is typed back."""
    normalised = re.sub(r"[\s-]", "", code.lower())
    return hash_token(normalised)


def looks_like_recovery_code(code: str) -> bool:
    return len(re.sub(r"[\s-]", "", code)) == RECOVERY_CODE_LENGTH
