"""Accounts for residents: registration, email verification, login, password reset, and
the emailed one-time links they (and staff invitations) rely on.

Every answer to an anonymous visitor is the same whether an email is registered or not;
the difference only ever shows in the mail that the address's owner receives. Attempt
limits live in `ratelimit`, administration in `admin_services`."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlencode

from boerse.accounts import two_factor_services
from boerse.accounts.ratelimit import (
    MAIL_LIMIT_PER_ACCOUNT,
    MAIL_LIMIT_PER_IP,
    MAIL_WINDOW,
    attempt_failed,
    attempt_succeeded,
    begin_attempt,
    over_limit,
)
from boerse.accounts.schemas import DEFAULT_NEXT, Registration
from boerse.accounts.sessions import end_all_sessions, start_session
from boerse.accounts.tables import EmailToken, Role, TokenPurpose, User
from boerse.lib.db import CONSTRAINT_ERRORS, is_unique_violation, utcnow, write_transaction
from boerse.lib.i18n import N_, current_locale, supported
from boerse.lib.queue import enqueue
from boerse.lib.security import hash_password, hash_token, new_token, verify_password
from boerse.lib.urls import site_url
from boerse.outbox.services import QueuedEmail, queue_email, wake_delivery

log = logging.getLogger(__name__)

VERIFY_VALID = dt.timedelta(hours=48)
RESET_VALID = dt.timedelta(hours=2)


# --- emailed tokens ------------------------------------------------------------------------


async def issue_token(user_id: int, purpose: TokenPurpose, valid: dt.timedelta) -> tuple[int, str]:
    """Stores only the hash; the token itself exists only in the email we send."""
    token, token_hash = new_token()
    row = EmailToken(
        token_hash=token_hash, user=user_id, purpose=purpose.value, expires_at=utcnow() + valid
    )
    await row.save()
    return row.id, token


async def _consume_token(token: str, purpose: TokenPurpose) -> int | None:
    """Marks the token used and returns its user, in one conditional UPDATE: two clicks at
    the same moment cannot both succeed."""
    if not token:
        return None
    now = utcnow()
    rows = (
        await EmailToken.update({EmailToken.used_at: now})
        .where(
            (EmailToken.token_hash == hash_token(token))
            & (EmailToken.purpose == purpose.value)
            & EmailToken.used_at.is_null()
            & (EmailToken.expires_at > now)
        )
        .returning(EmailToken.user)
    )
    return rows[0]["user"] if rows else None


def token_link(route: str, token: str, next_path: str = DEFAULT_NEXT) -> str:
    """The absolute URL a mail links to; the token travels only in the query string, with
    the page to return to afterwards when it is not the default one."""
    link = f"{site_url(route)}?token={token}"
    if next_path != DEFAULT_NEXT:
        link += "&" + urlencode({"next": next_path})
    return link


def _hours(valid: dt.timedelta) -> int:
    return int(valid.total_seconds() // 3600)


async def _queue_verification(
    user_id: int, email: str, name: str, language: str, next_path: str = DEFAULT_NEXT
) -> QueuedEmail:
    token_id, token = await issue_token(user_id, TokenPurpose.VERIFY_EMAIL, VERIFY_VALID)
    return await queue_email(
        f"account_verify:{token_id}",
        email,
        N_("Bitte bestätigen Sie Ihre E-Mail-Adresse"),
        "account_verify",
        {
            "name": name,
            "url": token_link("accounts:verify", token, next_path),
            "hours": _hours(VERIFY_VALID),
        },
        language=language,
    )


# --- registration and verification ---------------------------------------------------------


async def register_resident(data: Registration) -> None:
    """Hashes the password and hands the rest to the worker: the same steps for a new and a
    known address, so the answer's timing does not tell which addresses are registered (a
    new account used to cost three more inserts in the request). The worker creates the
    account and mails the link, or mails the owner of a known address a hint; the caller
    shows the same page either way. Only when the queue is unreachable is it done here."""
    # The language the person is using the site in (link, cookie or browser) is the best
    # guess for their mails; they can change it on their account page.
    account = NewAccount(
        data.email,
        data.display_name,
        hash_password(data.password),
        supported(current_locale.get()),
        data.next_path,
    )
    if not await enqueue("complete_registration", *account.as_job_args()):
        await complete_registration(account)


@dataclass(frozen=True)
class NewAccount:
    """A registration on its way to the worker (only the password's argon2 hash travels)."""

    email: str
    display_name: str
    password_hash: str
    language: str
    next_path: str

    def as_job_args(self) -> tuple[str, ...]:
        return (self.email, self.display_name, self.password_hash, self.language, self.next_path)


async def complete_registration(account: NewAccount) -> None:
    """The worker's half of registering."""
    try:
        await _create_or_hint(account)
    except CONSTRAINT_ERRORS as error:
        if not is_unique_violation(error):
            raise
        # A parallel request registered the same address a moment ago and mails it itself.
        return
    await wake_delivery()


async def _create_or_hint(account: NewAccount) -> QueuedEmail:
    """The account plus its verification mail, or the hint mail for a known address."""
    async with write_transaction():
        existing = (
            await User.select(User.id, User.display_name, User.language)
            .where(User.email == account.email)
            .first()
        )
        if existing:
            queued = await queue_email(
                # One hint per hour at most, so the form cannot be used to flood a mailbox.
                f"account_exists:{existing['id']}:{utcnow():%Y%m%d%H}",
                account.email,
                N_("Sie haben bereits ein Konto bei der Mitmach-Börse"),
                "account_exists",
                {
                    "name": existing["display_name"],
                    "login_url": site_url("accounts:login"),
                    "reset_url": site_url("accounts:forgot"),
                },
                language=existing["language"],
            )
        else:
            user = User(
                email=account.email,
                password_hash=account.password_hash,
                display_name=account.display_name,
                role=Role.RESIDENT.value,
                calendar_token=new_token()[0],
                privacy_consent_at=utcnow(),
                language=account.language,
            )
            await user.save()
            queued = await _queue_verification(
                user.id, account.email, account.display_name, account.language, account.next_path
            )
    return queued


async def verify_email(token: str) -> bool:
    """True if the link was valid; the address counts as confirmed from now on."""
    async with write_transaction():
        user_id = await _consume_token(token, TokenPurpose.VERIFY_EMAIL)
        if user_id is None:
            return False
        await User.update({User.email_verified_at: utcnow()}).where(
            (User.id == user_id) & User.email_verified_at.is_null()
        )
    return True


async def resend_verification(user_id: int, client_ip: str, next_path: str = DEFAULT_NEXT) -> bool:
    """Asks the worker to mail a fresh link; False when too many were asked for within the
    hour. Like the password reset, the request itself only counts and enqueues."""
    if await over_limit(
        "verify",
        f"user:{user_id}",
        client_ip,
        MAIL_LIMIT_PER_ACCOUNT,
        MAIL_LIMIT_PER_IP,
        MAIL_WINDOW,
    ):
        return False
    if not await enqueue("send_verification_link", user_id, next_path):
        await send_verification_link(user_id, next_path)
    return True


async def send_verification_link(user_id: int, next_path: str = DEFAULT_NEXT) -> None:
    """The worker's half of `resend_verification`: nothing for a confirmed address."""
    async with write_transaction():
        user = (
            await User.select(User.email, User.display_name, User.language)
            .where((User.id == user_id) & User.email_verified_at.is_null())
            .first()
        )
        if user is None:
            return
        await _queue_verification(
            user_id, user["email"], user["display_name"], user["language"], next_path
        )
    await wake_delivery()


async def set_language(user_id: int, language: str) -> None:
    """The language of the person's emails from now on (the caller checked it is supported)."""
    async with write_transaction():
        await User.update({User.language: language}).where(User.id == user_id)


# --- login ---------------------------------------------------------------------------------


class LoginOutcome(StrEnum):
    OK = "ok"
    INVALID = "invalid"
    LOCKED = "locked"
    INACTIVE = "inactive"
    SECOND_FACTOR = "second_factor"
    """Password right, the staff member's code still to come (`session_token` is pending)."""
    EXPIRED = "expired"


@dataclass(frozen=True)
class LoginResult:
    outcome: LoginOutcome
    session_token: str = ""
    verified: bool = True
    user_id: int | None = None
    role: str = ""


async def log_in(email: str, password: str, client_ip: str) -> LoginResult:
    """Checks the password and opens a new session (new id, so no session fixation).
    Attempts count towards the limits of `ratelimit` (per account and source, per source,
    per account), known email or not; a correct password clears its pair's count."""
    email = email.strip().lower()
    attempt = await begin_attempt("login", email, client_ip)
    if not attempt.allowed:
        return LoginResult(LoginOutcome.LOCKED)
    user = (
        await User.select(
            User.id,
            User.role,
            User.password_hash,
            User.is_active,
            User.email_verified_at,
            User.totp_enabled_at,
        )
        .where(User.email == email)
        .first()
    )
    # verify_password checks a dummy hash for unknown emails: same time, no hint.
    if not verify_password(user["password_hash"] if user else None, password) or (
        user["role"] == Role.GUEST.value  # no password until upgraded (see boerse.guests)
    ):
        await attempt_failed(attempt)
        return LoginResult(LoginOutcome.INVALID)
    if not user["is_active"]:
        return LoginResult(LoginOutcome.INACTIVE)
    await attempt_succeeded(attempt)
    pending = two_factor_services.needs_second_factor(user["role"], user["totp_enabled_at"])
    async with write_transaction():
        token = await start_session(user["id"], second_factor_pending=pending)
    return LoginResult(
        LoginOutcome.SECOND_FACTOR if pending else LoginOutcome.OK,
        token,
        user["email_verified_at"] is not None,
        user["id"],
        user["role"],
    )


async def log_in_second_step(pending_token: str, code: str, client_ip: str) -> LoginResult:
    """The code step of a staff login: the pending session becomes a real one (new id)."""
    pending = await two_factor_services.pending_login(pending_token)
    if pending is None:
        return LoginResult(LoginOutcome.EXPIRED)
    outcome = await two_factor_services.check_code(pending.user_id, code, client_ip)
    if outcome == two_factor_services.CodeOutcome.LOCKED:
        return LoginResult(LoginOutcome.LOCKED)
    if outcome == two_factor_services.CodeOutcome.INVALID:
        return LoginResult(LoginOutcome.INVALID)
    token = await two_factor_services.finish_login(pending)
    return LoginResult(
        LoginOutcome.OK, token, pending.email_verified, pending.user_id, pending.role
    )


# --- password reset ------------------------------------------------------------------------


async def request_password_reset(email: str, client_ip: str) -> None:
    """Counts the request and hands the address to the worker, the same steps whether an
    account has it or not: the answer's timing must not tell which addresses are
    registered. Only when the queue is unreachable is the mail prepared right here."""
    email = email.strip().lower()
    if await over_limit(
        "reset", email, client_ip, MAIL_LIMIT_PER_ACCOUNT, MAIL_LIMIT_PER_IP, MAIL_WINDOW
    ):
        log.info("password reset request over the limit, ignored")
        return
    if not await enqueue("send_password_reset", email):
        await send_password_reset(email)


async def send_password_reset(email: str) -> None:
    """The worker's half: mails a reset link if the address belongs to an active account,
    nothing otherwise."""
    async with write_transaction():
        user = (
            await User.select(User.id, User.display_name, User.language)
            .where((User.email == email) & (User.is_active == True))  # noqa: E712 - SQL
            .first()
        )
        if user is None:
            return
        token_id, token = await issue_token(user["id"], TokenPurpose.RESET_PASSWORD, RESET_VALID)
        await queue_email(
            f"account_reset:{token_id}",
            email,
            N_("Passwort zurücksetzen"),
            "account_reset",
            {
                "name": user["display_name"],
                "url": token_link("accounts:reset", token),
                "hours": _hours(RESET_VALID),
            },
            language=user["language"],
        )
    await wake_delivery()


async def reset_token_email(token: str) -> str | None:
    """The address a still valid reset link belongs to (the form checks the new password
    against it), or None for an unknown, used or expired link."""
    if not token:
        return None
    row = (
        await EmailToken.select(EmailToken.user.email)
        .where(
            (EmailToken.token_hash == hash_token(token))
            & (EmailToken.purpose == TokenPurpose.RESET_PASSWORD.value)
            & EmailToken.used_at.is_null()
            & (EmailToken.expires_at > utcnow())
            & (EmailToken.user.is_active == True)  # noqa: E712 - SQL
        )
        .first()
    )
    return row["user.email"] if row else None


async def reset_password(token: str, password: str) -> bool:
    """Sets the new password and ends every session of the account, so whoever knew the
    old password is logged out everywhere. Following the emailed link proves the address."""
    password_hash = hash_password(password)
    async with write_transaction():
        user_id = await _consume_token(token, TokenPurpose.RESET_PASSWORD)
        if user_id is None:
            return False
        await User.update({User.password_hash: password_hash}).where(User.id == user_id)
        await User.update({User.email_verified_at: utcnow()}).where(
            (User.id == user_id) & User.email_verified_at.is_null()
        )
        # A pending address change dies too: whoever knew the old password may have asked for it.
        await EmailToken.update({EmailToken.used_at: utcnow()}).where(
            (EmailToken.user == user_id)
            & EmailToken.purpose.is_in(
                [TokenPurpose.RESET_PASSWORD.value, TokenPurpose.CHANGE_EMAIL.value]
            )
            & EmailToken.used_at.is_null()
        )
        await end_all_sessions(user_id)
    return True


# --- staff accounts ------------------------------------------------------------------------
