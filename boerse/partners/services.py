"""Every query on partner keys, and the sign-up counts a partner may read.

Issuing and revoking write their audit entry in the same transaction; the key's secret
never reaches this module's callers except once, in `issue_key`'s return value."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from piccolo.query.functions.aggregate import Count

from boerse.accounts.tables import Organisation
from boerse.audit.actions import Action
from boerse.audit.services import record
from boerse.lib.db import utcnow, write_transaction
from boerse.lib.formatting import TOWN_TIMEZONE
from boerse.opportunities.tables import Attendance, SignUp, SignUpStatus
from boerse.partners.keys import new_key
from boerse.partners.schemas import KeyInput
from boerse.partners.tables import PartnerKey

# Writing the last use on every call would make every read a write; a minute is precise enough.
TOUCH_INTERVAL = dt.timedelta(minutes=1)


class KeyState:
    ACTIVE = "active"
    EXPIRED = "expired"
    REVOKED = "revoked"


@dataclass(frozen=True)
class KeyView:
    """A key as the admins see it: everything but the secret (which nobody has any more)."""

    id: int
    partner_name: str
    contact: str
    organisation_id: int | None
    organisation_name: str | None
    scope: str
    prefix: str
    requests_per_minute: int
    created_at: dt.datetime
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None

    def state(self, now: dt.datetime) -> str:
        if self.revoked_at is not None:
            return KeyState.REVOKED
        if self.expires_at is not None and self.expires_at <= now:
            return KeyState.EXPIRED
        return KeyState.ACTIVE


@dataclass(frozen=True)
class StoredKey:
    """What authenticating a request needs: the row found by the key's public prefix."""

    id: int
    partner_name: str
    organisation_id: int | None
    scope: str
    prefix: str
    secret_hash: str
    requests_per_minute: int
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None


@dataclass(frozen=True)
class IssuedKey:
    id: int
    key: str


_VIEW_COLUMNS = (
    PartnerKey.id,
    PartnerKey.partner_name,
    PartnerKey.contact,
    PartnerKey.organisation.as_alias("organisation_id"),
    PartnerKey.organisation.name.as_alias("organisation_name"),
    PartnerKey.scope,
    PartnerKey.prefix,
    PartnerKey.requests_per_minute,
    PartnerKey.created_at,
    PartnerKey.expires_at,
    PartnerKey.revoked_at,
    PartnerKey.last_used_at,
)


def expiry_instant(day: dt.date | None) -> dt.datetime | None:
    """A key valid "until" a day works through that whole day in the town's time zone."""
    if day is None:
        return None
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=TOWN_TIMEZONE)
    return end.astimezone(dt.UTC)


async def issue_key(data: KeyInput, admin_id: int | None) -> IssuedKey:
    made = new_key()
    async with write_transaction():
        inserted = await PartnerKey.insert(
            PartnerKey(
                partner_name=data.partner_name,
                contact=data.contact,
                organisation=data.organisation_id,
                scope=data.scope,
                prefix=made.prefix,
                secret_hash=made.secret_hash,
                requests_per_minute=data.requests_per_minute,
                created_by=admin_id,
                expires_at=expiry_instant(data.expires_on),
            )
        ).returning(PartnerKey.id)
        key_id = inserted[0]["id"]
        await record(
            Action.PARTNER_KEY_ISSUED, key_id, summary=f"{data.partner_name} ({made.prefix})"
        )
    return IssuedKey(key_id, made.key)


async def list_keys() -> list[KeyView]:
    """Newest first; revoked and expired keys stay listed, so admins see what was given out."""
    rows = await PartnerKey.select(*_VIEW_COLUMNS).order_by(PartnerKey.created_at, ascending=False)
    return [KeyView(**row) for row in rows]


async def key_view(key_id: int) -> KeyView | None:
    row = await PartnerKey.select(*_VIEW_COLUMNS).where(PartnerKey.id == key_id).first()
    return KeyView(**row) if row else None


async def revoke_key(key_id: int) -> bool:
    """False when the key was revoked already (a second click changes nothing)."""
    async with write_transaction():
        row = (
            await PartnerKey.select(PartnerKey.partner_name, PartnerKey.prefix)
            .where(PartnerKey.id == key_id, PartnerKey.revoked_at.is_null())
            .first()
        )
        if row is None:
            return False
        await PartnerKey.update({PartnerKey.revoked_at: utcnow()}).where(PartnerKey.id == key_id)
        await record(
            Action.PARTNER_KEY_REVOKED, key_id, summary=f"{row['partner_name']} ({row['prefix']})"
        )
    return True


async def stored_key(prefix: str) -> StoredKey | None:
    row = (
        await PartnerKey.select(
            PartnerKey.id,
            PartnerKey.partner_name,
            PartnerKey.organisation.as_alias("organisation_id"),
            PartnerKey.scope,
            PartnerKey.prefix,
            PartnerKey.secret_hash,
            PartnerKey.requests_per_minute,
            PartnerKey.expires_at,
            PartnerKey.revoked_at,
            PartnerKey.last_used_at,
        )
        .where(PartnerKey.prefix == prefix)
        .first()
    )
    return StoredKey(**row) if row else None


async def note_use(key: StoredKey, now: dt.datetime) -> None:
    """Keeps the last use for the admins' list, at most once a minute per key."""
    if key.last_used_at is not None and now - key.last_used_at < TOUCH_INTERVAL:
        return
    await PartnerKey.update({PartnerKey.last_used_at: now}).where(PartnerKey.id == key.id)


async def organisation_name(organisation_id: int) -> str | None:
    row = (
        await Organisation.select(Organisation.name)
        .where(Organisation.id == organisation_id)
        .first()
    )
    return row["name"] if row else None


# --- sign-up counts ------------------------------------------------------------------------


@dataclass(frozen=True)
class SignUpCounts:
    """How many sign-ups of one date are in each state; never who."""

    signed_up: int = 0
    """Holding a place (registered or confirmed)."""
    waitlisted: int = 0
    attended: int = 0
    cancelled: int = 0


async def signup_counts(session_ids: list[int]) -> dict[int, SignUpCounts]:
    """Counts per date in one grouped query, whatever the number of dates."""
    if not session_ids:
        return {}
    rows = (
        await SignUp.select(
            SignUp.session, SignUp.status, SignUp.attendance, Count(SignUp.id, alias="number")
        )
        .where(SignUp.session.is_in(session_ids))
        .group_by(SignUp.session, SignUp.status, SignUp.attendance)
    )
    tally: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        counts = tally[row["session"]]
        status, number = row["status"], row["number"]
        if status in (SignUpStatus.REGISTERED.value, SignUpStatus.CONFIRMED.value):
            counts["signed_up"] += number
        elif status == SignUpStatus.WAITLISTED.value:
            counts["waitlisted"] += number
        elif status == SignUpStatus.CANCELLED.value:
            counts["cancelled"] += number
        if (
            row["attendance"] == Attendance.ATTENDED.value
            and status != SignUpStatus.CANCELLED.value
        ):
            counts["attended"] += number
    return {session_id: SignUpCounts(**tally.get(session_id, {})) for session_id in session_ids}
