"""Engagementnachweise: issuing one for a period, listing and revoking them, and the public check.

A certificate's code has 80 random bits (unguessable even at the rate limit's pace) written in
Crockford's base32 as four groups of four characters, so it can be typed from paper: case
does not matter, and O/I/L are read as 0/1/1. The row keeps what was printed, signed with an
HMAC under the secret key: a row changed in the database afterwards is not confirmed."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass

from boerse.accounts.ratelimit import attempt_failed, attempt_succeeded, begin_attempt
from boerse.engagement.record import Entry, attended_entries, confirmed_entries, report_rows, within
from boerse.engagement.record import total as total_hours
from boerse.engagement.tables import Certificate
from boerse.lib.db import utcnow, write_transaction
from boerse.settings import get_settings

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 16  # 16 × 5 bits = 80 bits
GROUP = 4
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})

VALID = "valid"
REVOKED = "revoked"
UNKNOWN = "unknown"


class NothingToCertifyError(Exception):
    """The period holds no confirmed engagement."""


def new_code() -> str:
    number = int.from_bytes(secrets.token_bytes(CODE_LENGTH * 5 // 8), "big")
    return "".join(ALPHABET[(number >> (5 * i)) & 31] for i in range(CODE_LENGTH))


def format_code(code: str) -> str:
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def normalise_code(text: str) -> str | None:
    """The code as stored, or None when the text cannot be a code."""
    code = "".join(text.upper().split()).replace("-", "").translate(_READ_AS)
    if len(code) != CODE_LENGTH or any(char not in ALPHABET for char in code):
        return None
    return code


@dataclass(frozen=True)
class Line:
    """A printed line: organisation, offer, day or period, hours."""

    organisation: str
    opportunity: str
    first_day: dt.date
    last_day: dt.date
    hours: float
    kind: str


@dataclass(frozen=True)
class CertificateData:
    id: int
    code: str
    holder_name: str
    period_start: dt.date
    period_end: dt.date
    total_hours: float
    lines: tuple[Line, ...]
    issuer: str
    issued_at: dt.datetime
    revoked_at: dt.datetime | None

    @property
    def display_code(self) -> str:
        return format_code(self.code)


def issuer_text() -> str:
    settings = get_settings()
    town = f"Stadt {settings.town_name}"
    return f"{town} – {settings.certificate_office}" if settings.certificate_office else town


def _lines_json(lines: tuple[Line, ...]) -> str:
    return json.dumps(
        [
            {
                "organisation": line.organisation,
                "opportunity": line.opportunity,
                "first_day": line.first_day.isoformat(),
                "last_day": line.last_day.isoformat(),
                "hours": line.hours,
                "kind": line.kind,
            }
            for line in lines
        ],
        ensure_ascii=False,
        sort_keys=True,
    )


def _lines_of(text: str) -> tuple[Line, ...]:
    return tuple(
        Line(
            organisation=item["organisation"],
            opportunity=item["opportunity"],
            first_day=dt.date.fromisoformat(item["first_day"]),
            last_day=dt.date.fromisoformat(item["last_day"]),
            hours=item["hours"],
            kind=item["kind"],
        )
        for item in json.loads(text)
    )


def signature(
    code: str,
    user_id: int,
    holder_name: str,
    period_start: dt.date,
    period_end: dt.date,
    total: float,
    lines: str,
    issuer: str,
    issued_at: dt.datetime,
) -> str:
    """HMAC-SHA256 of everything printed, in one canonical JSON text."""
    if issued_at.tzinfo is None:  # SQLite may hand back a naive UTC time
        issued_at = issued_at.replace(tzinfo=dt.UTC)
    content = json.dumps(
        [
            code,
            user_id,
            holder_name,
            period_start.isoformat(),
            period_end.isoformat(),
            round(total, 2),
            lines,
            issuer,
            int(issued_at.timestamp()),
        ],
        ensure_ascii=False,
    )
    key = get_settings().secret_key.encode()
    return hmac.new(key, content.encode(), hashlib.sha256).hexdigest()


def _line(entry: Entry) -> Line:
    return Line(
        entry.organisation,
        entry.opportunity,
        entry.first_day,
        entry.last_day,
        entry.hours,
        entry.kind,
    )


async def entries_for(user_id: int, start: dt.date, end: dt.date) -> list[Entry]:
    entries = await attended_entries(user_id) + confirmed_entries(await report_rows(user_id))
    return sorted(within(entries, start, end), key=lambda e: (e.first_day, e.organisation))


async def issue(user_id: int, holder_name: str, start: dt.date, end: dt.date) -> int:
    """Records a certificate of the confirmed engagement in the period; returns its id."""
    entries = await entries_for(user_id, start, end)
    if not entries:
        raise NothingToCertifyError()
    lines = tuple(_line(entry) for entry in entries)
    total = total_hours(entries)
    lines_text = _lines_json(lines)
    issuer = issuer_text()
    # Whole seconds: the signature must survive the database's own timestamp precision.
    issued_at = utcnow().replace(microsecond=0)
    async with write_transaction():
        for _attempt in range(3):  # a clash of 80 random bits is theory; retry anyway
            code = new_code()
            if not await Certificate.exists().where(Certificate.code == code):
                break
        row = await Certificate.insert(
            Certificate(
                code=code,
                user=user_id,
                holder_name=holder_name,
                period_start=start,
                period_end=end,
                total_hours=total,
                lines=lines_text,
                issuer=issuer,
                issued_at=issued_at,
                signature=signature(
                    code, user_id, holder_name, start, end, total, lines_text, issuer, issued_at
                ),
            )
        ).returning(Certificate.id)
    return row[0]["id"]


_COLUMNS = (
    Certificate.id,
    Certificate.code,
    Certificate.user,
    Certificate.holder_name,
    Certificate.period_start,
    Certificate.period_end,
    Certificate.total_hours,
    Certificate.lines,
    Certificate.issuer,
    Certificate.issued_at,
    Certificate.signature,
    Certificate.revoked_at,
)


def _data(row: dict) -> CertificateData:
    return CertificateData(
        id=row["id"],
        code=row["code"],
        holder_name=row["holder_name"],
        period_start=row["period_start"],
        period_end=row["period_end"],
        total_hours=row["total_hours"],
        lines=_lines_of(row["lines"]),
        issuer=row["issuer"],
        issued_at=row["issued_at"],
        revoked_at=row["revoked_at"],
    )


def _genuine(row: dict) -> bool:
    expected = signature(
        row["code"],
        row["user"],
        row["holder_name"],
        row["period_start"],
        row["period_end"],
        row["total_hours"],
        row["lines"],
        row["issuer"],
        row["issued_at"],
    )
    return hmac.compare_digest(expected, row["signature"])


async def certificate_row(certificate_id: int) -> dict | None:
    """The raw row with its owner, for the access check."""
    return await Certificate.select(*_COLUMNS).where(Certificate.id == certificate_id).first()


def certificate_data(row: dict) -> CertificateData:
    return _data(row)


async def certificates_of(user_id: int) -> list[CertificateData]:
    rows = (
        await Certificate.select(*_COLUMNS)
        .where(Certificate.user == user_id)
        .order_by(Certificate.issued_at, ascending=False)
        .order_by(Certificate.id, ascending=False)
    )
    return [_data(row) for row in rows]


async def revoke(user_id: int, certificate_id: int) -> bool:
    async with write_transaction():
        changed = (
            await Certificate.update({Certificate.revoked_at: utcnow()})
            .where(
                (Certificate.id == certificate_id)
                & (Certificate.user == user_id)
                & Certificate.revoked_at.is_null()
            )
            .returning(Certificate.id)
        )
    return bool(changed)


@dataclass(frozen=True)
class Verification:
    """What the public check shows: nothing beyond name, period, total, issue date, issuer."""

    status: str
    code: str = ""
    holder_name: str = ""
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    total_hours: float = 0.0
    issued_at: dt.datetime | None = None
    issuer: str = ""


async def verify(code: str) -> Verification:
    """VALID, REVOKED or UNKNOWN (also for a row whose signature does not match)."""
    row = await Certificate.select(*_COLUMNS).where(Certificate.code == code).first()
    if row is None or not _genuine(row):
        return Verification(UNKNOWN, format_code(code))
    if row["revoked_at"] is not None:
        return Verification(REVOKED, format_code(code), issued_at=row["issued_at"])
    return Verification(
        VALID,
        format_code(code),
        holder_name=row["holder_name"],
        period_start=row["period_start"],
        period_end=row["period_end"],
        total_hours=row["total_hours"],
        issued_at=row["issued_at"],
        issuer=row["issuer"],
    )


LIMITED = "limited"
MALFORMED = "malformed"
CHECK_ACTION = "certificate_check"


async def check_code(text: str, client_ip: str) -> Verification:
    """The public check, rate-limited like the login (`accounts.ratelimit`): per code and
    source, and per source across codes, so nobody can try codes in bulk. A confirmed code
    gives its attempt back; text that cannot be a code is not looked up and not counted."""
    code = normalise_code(text)
    if code is None:
        return Verification(MALFORMED)
    attempt = await begin_attempt(CHECK_ACTION, code, client_ip)
    if not attempt.allowed:
        return Verification(LIMITED)
    result = await verify(code)
    if result.status == UNKNOWN:
        await attempt_failed(attempt)
    else:
        await attempt_succeeded(attempt)
    return result
