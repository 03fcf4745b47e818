"""Accounts: registration, email verification, login with rate limiting, password reset,
and the staff accounts and organisations that administrators manage.

Every answer to an anonymous visitor is the same whether an email is registered or not;
the difference only ever shows in the mail that the address's owner receives."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from enum import StrEnum

from arq import ArqRedis
from piccolo.query.functions.aggregate import Count
from redis.exceptions import RedisError

from boerse.accounts.schemas import (
    OrganisationInput,
    Registration,
    StaffInput,
    password_problem,
)
from boerse.accounts.sessions import end_all_sessions, start_session
from boerse.accounts.tables import (
    EmailToken,
    Organisation,
    OrganisationKind,
    Role,
    TokenPurpose,
    User,
)
from boerse.lib import queue
from boerse.lib.db import (
    CONSTRAINT_ERRORS,
    is_sqlite,
    is_unique_violation,
    utcnow,
    write_transaction,
)
from boerse.lib.forms import EMAIL_PATTERN
from boerse.lib.i18n import gettext as _
from boerse.lib.security import hash_password, hash_token, new_token, verify_password
from boerse.outbox.services import QueuedEmail, notify_worker, queue_email
from boerse.settings import get_settings

log = logging.getLogger(__name__)

VERIFY_VALID = dt.timedelta(hours=48)
RESET_VALID = dt.timedelta(hours=2)
# A new officer may not read their mail the same afternoon; the link still works only once.
INVITE_VALID = dt.timedelta(days=7)

LOGIN_WINDOW = dt.timedelta(minutes=15)
LOGIN_LIMIT_PER_EMAIL = 10
# Higher than per email: a town hall or a care home shares one public address.
LOGIN_LIMIT_PER_IP = 30
MAIL_WINDOW = dt.timedelta(hours=1)
MAIL_LIMIT_PER_EMAIL = 3
MAIL_LIMIT_PER_IP = 20

ACCOUNTS_PER_PAGE = 50


class InputError(ValueError):
    """Bad input found while writing (taken email, unknown organisation); carries the form
    field so the handler can show the message next to it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


# --- rate limiting -------------------------------------------------------------------------

# INCR and EXPIRE in one script: atomic, and the window is fixed at the first attempt, so a
# process dying in between can never leave a counter without expiry.
_INCR_WITH_EXPIRY = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count
"""


async def count_attempt(key: str, window: dt.timedelta, redis: ArqRedis | None = None) -> int:
    """Counts one attempt in the current window. Returns 0 when Redis is unreachable: we fail
    open, because a queue outage must not lock every resident out of the site."""
    try:
        redis = redis or await queue._pool()
        return int(await redis.eval(_INCR_WITH_EXPIRY, 1, key, int(window.total_seconds())))
    except (TimeoutError, RedisError, OSError) as error:
        log.warning("rate-limit store unreachable, attempt allowed: %s", type(error).__name__)
        return 0


async def forget_attempts(key: str) -> None:
    try:
        await (await queue._pool()).delete(key)
    except (TimeoutError, RedisError, OSError) as error:
        log.warning("rate-limit store unreachable, counter kept: %s", type(error).__name__)


def _limit_key(action: str, kind: str, value: str) -> str:
    """Hashed, so Redis never holds an email address or IP address in clear."""
    return f"ratelimit:{action}:{kind}:{hash_token(value.lower())}"


async def _over_limit(
    action: str, email: str, client_ip: str, per_email: int, per_ip: int, window: dt.timedelta
) -> bool:
    by_email = await count_attempt(_limit_key(action, "email", email), window)
    by_ip = await count_attempt(_limit_key(action, "ip", client_ip), window)
    return by_email > per_email or by_ip > per_ip


# --- emailed tokens ------------------------------------------------------------------------


async def _issue_token(user_id: int, purpose: TokenPurpose, valid: dt.timedelta) -> tuple[int, str]:
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


def _link(path: str, token: str) -> str:
    return f"{get_settings().base_url}{path}?token={token}"


def _hours(valid: dt.timedelta) -> int:
    return int(valid.total_seconds() // 3600)


async def _queue_verification(user_id: int, email: str, name: str) -> QueuedEmail:
    token_id, token = await _issue_token(user_id, TokenPurpose.VERIFY_EMAIL, VERIFY_VALID)
    return await queue_email(
        f"account_verify:{token_id}",
        email,
        _("Bitte bestätigen Sie Ihre E-Mail-Adresse"),
        "account_verify",
        {"name": name, "url": _link("/konto/bestaetigen", token), "hours": _hours(VERIFY_VALID)},
    )


# --- registration and verification ---------------------------------------------------------


async def register_resident(data: Registration) -> None:
    """Creates the account and mails a verification link, or, if the address already has an
    account, mails its owner a hint instead. The caller shows the same page either way."""
    # Hashing first keeps the answer time the same for new and known addresses.
    password_hash = hash_password(data.password)
    try:
        queued = await _create_or_hint(data, password_hash)
    except CONSTRAINT_ERRORS as error:
        if not is_unique_violation(error):
            raise
        # A parallel request registered the same address a moment ago and mails it itself.
        return
    await notify_worker(queued.id)


async def _create_or_hint(data: Registration, password_hash: str) -> QueuedEmail:
    """The account plus its verification mail, or the hint mail for a known address."""
    async with write_transaction():
        existing = (
            await User.select(User.id, User.display_name).where(User.email == data.email).first()
        )
        if existing:
            queued = await queue_email(
                # One hint per hour at most, so the form cannot be used to flood a mailbox.
                f"account_exists:{existing['id']}:{utcnow():%Y%m%d%H}",
                data.email,
                _("Sie haben bereits ein Konto bei der Mitmach-Börse"),
                "account_exists",
                {
                    "name": existing["display_name"],
                    "login_url": f"{get_settings().base_url}/konto/anmelden",
                    "reset_url": f"{get_settings().base_url}/konto/passwort-vergessen",
                },
            )
        else:
            user = User(
                email=data.email,
                password_hash=password_hash,
                display_name=data.display_name,
                role=Role.RESIDENT.value,
                calendar_token=new_token()[0],
                privacy_consent_at=utcnow(),
            )
            await user.save()
            queued = await _queue_verification(user.id, data.email, data.display_name)
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


async def resend_verification(user_id: int, client_ip: str) -> bool:
    """Mails a fresh link; False when too many were asked for within the hour."""
    user = (
        await User.select(User.email, User.display_name, User.email_verified_at)
        .where(User.id == user_id)
        .first()
    )
    if user is None or user["email_verified_at"] is not None:
        return True
    if await _over_limit(
        "verify", user["email"], client_ip, MAIL_LIMIT_PER_EMAIL, MAIL_LIMIT_PER_IP, MAIL_WINDOW
    ):
        return False
    async with write_transaction():
        queued = await _queue_verification(user_id, user["email"], user["display_name"])
    await notify_worker(queued.id)
    return True


# --- login ---------------------------------------------------------------------------------


class LoginOutcome(StrEnum):
    OK = "ok"
    INVALID = "invalid"
    LOCKED = "locked"
    INACTIVE = "inactive"


@dataclass(frozen=True)
class LoginResult:
    outcome: LoginOutcome
    session_token: str = ""
    verified: bool = True
    user_id: int | None = None
    role: str = ""


async def log_in(email: str, password: str, client_ip: str) -> LoginResult:
    """Checks the password and opens a new session (new id, so no session fixation).
    Every attempt counts towards the limits, successful or not, known email or not."""
    email = email.strip().lower()
    if await _over_limit(
        "login", email, client_ip, LOGIN_LIMIT_PER_EMAIL, LOGIN_LIMIT_PER_IP, LOGIN_WINDOW
    ):
        return LoginResult(LoginOutcome.LOCKED)
    user = (
        await User.select(
            User.id, User.role, User.password_hash, User.is_active, User.email_verified_at
        )
        .where(User.email == email)
        .first()
    )
    # verify_password checks a dummy hash for unknown emails: same time, no hint.
    if not verify_password(user["password_hash"] if user else None, password):
        return LoginResult(LoginOutcome.INVALID)
    if not user["is_active"]:
        return LoginResult(LoginOutcome.INACTIVE)
    await forget_attempts(_limit_key("login", "email", email))
    async with write_transaction():
        token = await start_session(user["id"])
    return LoginResult(
        LoginOutcome.OK, token, user["email_verified_at"] is not None, user["id"], user["role"]
    )


# --- password reset ------------------------------------------------------------------------


async def request_password_reset(email: str, client_ip: str) -> None:
    """Mails a reset link if the address belongs to an active account; silent otherwise."""
    email = email.strip().lower()
    if await _over_limit(
        "reset", email, client_ip, MAIL_LIMIT_PER_EMAIL, MAIL_LIMIT_PER_IP, MAIL_WINDOW
    ):
        log.info("password reset request over the limit, ignored")
        return
    user = (
        await User.select(User.id, User.display_name)
        .where((User.email == email) & (User.is_active == True))  # noqa: E712 - SQL
        .first()
    )
    if user is None:
        return
    async with write_transaction():
        token_id, token = await _issue_token(user["id"], TokenPurpose.RESET_PASSWORD, RESET_VALID)
        queued = await queue_email(
            f"account_reset:{token_id}",
            email,
            _("Passwort zurücksetzen"),
            "account_reset",
            {
                "name": user["display_name"],
                "url": _link("/konto/passwort-neu", token),
                "hours": _hours(RESET_VALID),
            },
        )
    await notify_worker(queued.id)


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
        await EmailToken.update({EmailToken.used_at: utcnow()}).where(
            (EmailToken.user == user_id)
            & (EmailToken.purpose == TokenPurpose.RESET_PASSWORD.value)
            & EmailToken.used_at.is_null()
        )
        await end_all_sessions(user_id)
    return True


# --- staff accounts ------------------------------------------------------------------------


async def _email_taken(email: str) -> bool:
    return await User.exists().where(User.email == email)


async def create_staff_user(
    email: str, password: str, role: str, organisation_name: str, display_name: str
) -> int:
    """Command-line creation of an officer or admin (verified at once); creates the
    organisation by name when it does not exist yet. Raises InputError in German."""
    email = email.strip().lower()
    organisation_name = organisation_name.strip()
    if not EMAIL_PATTERN.match(email):
        raise InputError("email", _("Bitte geben Sie eine gültige E-Mail-Adresse ein."))
    if role not in {Role.OFFICER.value, Role.ADMIN.value}:
        raise InputError("role", _("Die Rolle muss „officer“ oder „admin“ sein."))
    if role == Role.OFFICER.value and not organisation_name:
        raise InputError("organisation", _("Mitarbeitende brauchen eine Organisation."))
    if problem := password_problem(password, email):
        raise InputError("password", problem)
    password_hash = hash_password(password)
    async with write_transaction():
        if await _email_taken(email):
            raise InputError("email", _("Für diese E-Mail-Adresse gibt es schon ein Konto."))
        organisation_id = (
            await _organisation_by_name(organisation_name) if organisation_name else None
        )
        user = User(
            email=email,
            password_hash=password_hash,
            display_name=display_name.strip()[:100],
            role=role,
            organisation=organisation_id,
            email_verified_at=utcnow(),
            calendar_token=new_token()[0],
        )
        await user.save()
    return user.id


async def _organisation_by_name(name: str) -> int:
    row = await Organisation.select(Organisation.id).where(Organisation.name == name).first()
    if row:
        return row["id"]
    organisation = Organisation(name=name, kind=OrganisationKind.COUNCIL.value)
    await organisation.save()
    return organisation.id


async def invite_staff(data: StaffInput) -> int:
    """Creates an officer or admin without a usable password and mails them a link to set
    one: the administrator never learns or sends a password."""
    unusable_hash = hash_password(new_token()[0])
    async with write_transaction():
        if await _email_taken(data.email):
            raise InputError("email", _("Für diese E-Mail-Adresse gibt es schon ein Konto."))
        organisation = None
        if data.organisation_id is not None:
            organisation = (
                await Organisation.select(Organisation.name)
                .where(Organisation.id == data.organisation_id)
                .first()
            )
            if organisation is None:
                raise InputError("organisation", _("Diese Organisation gibt es nicht mehr."))
        user = User(
            email=data.email,
            password_hash=unusable_hash,
            display_name=data.display_name,
            role=data.role,
            organisation=data.organisation_id,
            email_verified_at=utcnow(),
            calendar_token=new_token()[0],
        )
        await user.save()
        token_id, token = await _issue_token(user.id, TokenPurpose.RESET_PASSWORD, INVITE_VALID)
        queued = await queue_email(
            f"account_invite:{token_id}",
            data.email,
            _("Ihr Zugang zur Mitmach-Börse"),
            "account_invite",
            {
                "name": data.display_name,
                "organisation": organisation["name"] if organisation else "",
                "is_admin": data.role == Role.ADMIN.value,
                "url": _link("/konto/passwort-neu", token),
                "days": INVITE_VALID.days,
            },
        )
    await notify_worker(queued.id)
    return user.id


async def set_active(user_id: int, active: bool) -> bool:
    """(De)activates an account; deactivation also ends its sessions at once."""
    async with write_transaction():
        updated = (
            await User.update({User.is_active: active}).where(User.id == user_id).returning(User.id)
        )
        if updated and not active:
            await end_all_sessions(user_id)
    return bool(updated)


# --- administration ------------------------------------------------------------------------


@dataclass(frozen=True)
class Overview:
    organisations: int
    staff: int
    residents: int
    inactive: int


async def admin_overview() -> Overview:
    return Overview(
        organisations=await Organisation.count(),
        staff=await User.count().where(User.role != Role.RESIDENT.value),
        residents=await User.count().where(User.role == Role.RESIDENT.value),
        inactive=await User.count().where(User.is_active == False),  # noqa: E712 - SQL
    )


async def list_organisations() -> list[dict]:
    """Every organisation with its number of staff accounts: two queries whatever the count."""
    organisations = await Organisation.select().order_by(Organisation.name)
    counts = (
        await User.select(User.organisation, Count(User.id, alias="staff"))
        .where(User.organisation.is_not_null())
        .group_by(User.organisation)
    )
    staff = {row["organisation"]: row["staff"] for row in counts}
    return [{**row, "staff": staff.get(row["id"], 0)} for row in organisations]


async def organisation_choices() -> list[tuple[int, str]]:
    rows = await Organisation.select(Organisation.id, Organisation.name).order_by(Organisation.name)
    return [(row["id"], row["name"]) for row in rows]


async def create_organisation(data: OrganisationInput) -> int:
    async with write_transaction():
        if await Organisation.exists().where(Organisation.name == data.name):
            raise InputError("name", _("Eine Organisation mit diesem Namen gibt es schon."))
        organisation = Organisation(
            name=data.name, kind=data.kind, description=data.description, website=data.website
        )
        await organisation.save()
    return organisation.id


@dataclass(frozen=True)
class AccountPage:
    rows: list[dict]
    total: int
    page: int
    pages: int


async def list_accounts(role: str = "", search: str = "", page: int = 1) -> AccountPage:
    """One page of accounts with their organisation's name: two queries whatever the page."""
    condition = User.id > 0
    if role:
        condition &= User.role == role
    if search.strip():
        pattern = f"%{search.strip()}%"
        # SQLite's LIKE is already case-blind (and it has no ILIKE); PostgreSQL needs ILIKE.
        if is_sqlite():
            condition &= User.email.like(pattern) | User.display_name.like(pattern)
        else:
            condition &= User.email.ilike(pattern) | User.display_name.ilike(pattern)
    total = await User.count().where(condition)
    pages = max(1, -(-total // ACCOUNTS_PER_PAGE))
    page = min(max(page, 1), pages)
    rows = (
        await User.select(
            User.id,
            User.email,
            User.display_name,
            User.role,
            User.is_active,
            User.email_verified_at,
            User.last_login_at,
            User.organisation.name.as_alias("organisation_name"),
        )
        .where(condition)
        .order_by(User.email)
        .limit(ACCOUNTS_PER_PAGE)
        .offset((page - 1) * ACCOUNTS_PER_PAGE)
    )
    return AccountPage(rows=rows, total=total, page=page, pages=pages)
