"""Second factor for staff: setting up an authenticator app, the code step of the login,
recovery codes, and an administrator's reset.

Officers and admins see and change many residents' data, so a stolen password alone must
not be enough for their accounts. A login whose password was right but whose code is still
missing is a *pending* session: `auth` never resolves it to a user, so it opens nothing,
and it turns into a real session (with a new id) only after the code. Every code check
counts towards the same limits as passwords (`ratelimit`, action "second_factor")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from boerse.accounts import totp
from boerse.accounts.ratelimit import attempt_failed, attempt_succeeded, begin_attempt
from boerse.accounts.sessions import PENDING_COOKIE_SECONDS, end_all_sessions, start_session
from boerse.accounts.tables import LoginSession, RecoveryCode, Role, User
from boerse.audit.actions import Action
from boerse.audit.services import record
from boerse.lib.db import utcnow, write_transaction
from boerse.lib.security import hash_token, verify_password
from boerse.settings import get_settings

# Long enough to find the phone and open the app, short enough that a forgotten half-login
# on a shared computer is gone soon (the cookie lasts as long).
PENDING_VALID = dt.timedelta(seconds=PENDING_COOKIE_SECONDS)
STAFF_ROLES = (Role.OFFICER.value, Role.ADMIN.value)


class CodeOutcome(StrEnum):
    OK = "ok"
    INVALID = "invalid"
    LOCKED = "locked"


@dataclass(frozen=True)
class Setup:
    """What the setup page shows: the secret as a QR code and as text to type."""

    secret: str
    secret_grouped: str
    qr_code: str


@dataclass(frozen=True)
class TwoFactorStatus:
    enabled: bool
    recovery_codes_left: int


@dataclass(frozen=True)
class PendingLogin:
    session_id: int
    user_id: int
    role: str
    email_verified: bool


def issuer() -> str:
    return f"Mitmach-Börse {get_settings().town_name}"


# --- setting up and switching off ----------------------------------------------------------


async def status(user_id: int) -> TwoFactorStatus:
    row = await User.select(User.totp_enabled_at).where(User.id == user_id).first()
    left = await RecoveryCode.count().where(
        (RecoveryCode.user == user_id) & RecoveryCode.used_at.is_null()
    )
    return TwoFactorStatus(row is not None and row["totp_enabled_at"] is not None, left)


async def start_setup(user_id: int, email: str) -> Setup | None:
    """The secret to scan, created on first call and kept until confirmed (reloading the
    page must not invalidate what the app has already scanned); None once set up."""
    async with write_transaction():
        row = (
            await User.select(User.totp_secret, User.totp_enabled_at)
            .where(User.id == user_id)
            .first()
        )
        if row is None or row["totp_enabled_at"] is not None:
            return None
        secret = row["totp_secret"]
        if not secret:
            secret = totp.new_secret()
            await User.update({User.totp_secret: secret}).where(User.id == user_id)
    uri = totp.provisioning_uri(secret, email, issuer())
    return Setup(secret, totp.grouped(secret), totp.qr_code_data_uri(uri))


async def confirm_setup(user_id: int, code: str) -> list[str] | None:
    """Switches the second factor on when `code` fits the new secret, and returns the
    recovery codes (shown once, stored only hashed); None for a wrong code."""
    async with write_transaction():
        row = (
            await User.select(User.totp_secret, User.totp_enabled_at, User.totp_last_step)
            .where(User.id == user_id)
            .first()
        )
        if row is None or row["totp_enabled_at"] is not None:
            return None
        step = totp.matching_step(row["totp_secret"], code, utcnow(), row["totp_last_step"])
        if step is None:
            return None
        await User.update({User.totp_enabled_at: utcnow(), User.totp_last_step: step}).where(
            User.id == user_id
        )
        await record(Action.TWO_FACTOR_ENABLED, user_id)
        return await _replace_recovery_codes(user_id)


async def regenerate_recovery_codes(user_id: int, code: str, client_ip: str) -> list[str] | None:
    """New codes (the old ones stop working) after a current code; None if refused."""
    if await check_code(user_id, code, client_ip) != CodeOutcome.OK:
        return None
    async with write_transaction():
        return await _replace_recovery_codes(user_id)


async def disable(user_id: int, password: str, code: str, client_ip: str) -> bool:
    """Switches the second factor off after the password and a code (or recovery code):
    a session left open on someone else's computer must not be enough."""
    row = await User.select(User.password_hash).where(User.id == user_id).first()
    if row is None or not verify_password(row["password_hash"], password):
        return False
    if await check_code(user_id, code, client_ip) != CodeOutcome.OK:
        return False
    async with write_transaction():
        await _switch_off(user_id)
        await record(Action.TWO_FACTOR_DISABLED, user_id)
    return True


async def reset_by_admin(user_id: int) -> bool:
    """For a staff member who lost both phone and recovery codes: the second factor is off,
    every session of the account ends, and the next login leads to a new setup. False for
    an account that is not staff."""
    async with write_transaction():
        if not await User.exists().where((User.id == user_id) & User.role.is_in(STAFF_ROLES)):
            return False
        await _switch_off(user_id)
        await end_all_sessions(user_id)
        await record(Action.TWO_FACTOR_RESET, user_id)
    return True


async def _switch_off(user_id: int) -> None:
    await User.update(
        {User.totp_secret: "", User.totp_enabled_at: None, User.totp_last_step: 0}
    ).where(User.id == user_id)
    await RecoveryCode.delete().where(RecoveryCode.user == user_id)


async def _replace_recovery_codes(user_id: int) -> list[str]:
    codes = totp.new_recovery_codes()
    await RecoveryCode.delete().where(RecoveryCode.user == user_id)
    await RecoveryCode.insert(
        *[RecoveryCode(user=user_id, code_hash=totp.hash_recovery_code(code)) for code in codes]
    )
    return codes


# --- checking a code -----------------------------------------------------------------------


async def check_code(user_id: int, code: str, client_ip: str) -> CodeOutcome:
    """A code from the app or an unused recovery code, counted like a password guess."""
    attempt = await begin_attempt("second_factor", f"user:{user_id}", client_ip)
    if not attempt.allowed:
        return CodeOutcome.LOCKED
    if await _use_code(user_id, code):
        await attempt_succeeded(attempt)
        return CodeOutcome.OK
    await attempt_failed(attempt)
    return CodeOutcome.INVALID


async def _use_code(user_id: int, code: str) -> bool:
    """Each code works once: the recovery code is marked used, and the app code's time
    step is recorded, in one conditional UPDATE each (two parallel requests cannot both
    use the same code)."""
    enabled = (User.id == user_id) & User.totp_enabled_at.is_not_null()
    async with write_transaction():
        if totp.looks_like_recovery_code(code):
            used = (
                await RecoveryCode.update({RecoveryCode.used_at: utcnow()})
                .where(
                    (RecoveryCode.user == user_id)
                    & (RecoveryCode.code_hash == totp.hash_recovery_code(code))
                    & RecoveryCode.used_at.is_null()
                )
                .returning(RecoveryCode.id)
            )
            return bool(used)
        row = await User.select(User.totp_secret, User.totp_last_step).where(enabled).first()
        if row is None:
            return False
        step = totp.matching_step(row["totp_secret"], code, utcnow(), row["totp_last_step"])
        if step is None:
            return False
        taken = (
            await User.update({User.totp_last_step: step})
            .where(enabled & (User.totp_last_step < step))
            .returning(User.id)
        )
        return bool(taken)


# --- the login's second step ---------------------------------------------------------------


def needs_second_factor(role: str, totp_enabled_at: dt.datetime | None) -> bool:
    return role in STAFF_ROLES and totp_enabled_at is not None


async def pending_login(token: str) -> PendingLogin | None:
    """The half-finished login behind the pending cookie, if still fresh and active."""
    if not token:
        return None
    row = (
        await LoginSession.select(
            LoginSession.id,
            LoginSession.created_at,
            LoginSession.user,
            LoginSession.user.role,
            LoginSession.user.is_active,
            LoginSession.user.email_verified_at,
        )
        .where(
            (LoginSession.token_hash == hash_token(token))
            & (LoginSession.second_factor_pending == True)  # noqa: E712 - SQL
        )
        .first()
    )
    if row is None or not row["user.is_active"] or utcnow() - row["created_at"] > PENDING_VALID:
        return None
    return PendingLogin(
        row["id"], row["user"], row["user.role"], row["user.email_verified_at"] is not None
    )


async def finish_login(pending: PendingLogin) -> str:
    """Replaces the pending session by a real one with a new id; returns its token."""
    async with write_transaction():
        await LoginSession.delete().where(LoginSession.id == pending.session_id)
        return await start_session(pending.user_id)
