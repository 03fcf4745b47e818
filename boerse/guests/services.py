"""Guests: a `User` row with role `guest` for someone who signed up for a date without an
account, so that confirmation, reminders, check-in, surveys and the hours record work for
them exactly as for residents. A guest has no usable password and no profile (so matching
never sees them); upgrading turns the same row into a resident and keeps the history."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from boerse.accounts.ratelimit import (
    MAIL_LIMIT_PER_ACCOUNT,
    MAIL_LIMIT_PER_IP,
    MAIL_WINDOW,
    over_limit,
)
from boerse.accounts.sessions import start_session
from boerse.accounts.tables import Role, User
from boerse.guests.schemas import GuestRequestInput
from boerse.guests.tables import GuestSignUpRequest
from boerse.lib.db import (
    CONSTRAINT_ERRORS,
    insert_many,
    is_unique_violation,
    utcnow,
    write_transaction,
)
from boerse.lib.i18n import N_, current_locale, supported, use_locale
from boerse.lib.security import hash_password, hash_token, new_token
from boerse.lib.urls import site_url
from boerse.opportunities.calendar import opportunity_url, place_text, session_columns
from boerse.opportunities.signup_links import ensure_link
from boerse.opportunities.signups import (
    SignUpOutcome,
    session_details,
    sign_up_in_transaction,
)
from boerse.opportunities.tables import SignUp
from boerse.outbox.services import queue_email, wake_delivery

log = logging.getLogger(__name__)

# One argon2 hash of a random secret that is thrown away at once: nobody can know a password
# for it, and checking a login against it costs the same time as against a real account's
# hash (an empty or malformed hash would answer faster and tell that a guest exists). The
# login refuses guests anyway; this is the second lock.
_NO_PASSWORD = hash_password(new_token()[0])


async def find_or_create_guest(email: str, name: str, language: str) -> int:
    """The account of `email`: an existing one is returned as it is, whatever its role (a
    resident stays a resident; the caller decides whether that is acceptable); otherwise a
    new guest without usable password and with an unconfirmed address.

    Runs inside the caller's transaction. The insert skips a clash on the address, so two
    confirmations of the same address at once end with one row, not an aborted transaction
    (on PostgreSQL the second insert waits for the first to commit and then finds it)."""
    email = email.strip().lower()
    existing = await User.select(User.id).where(User.email == email).first()
    if existing:
        return existing["id"]
    inserted = await insert_many(
        User,
        [
            User.email,
            User.password_hash,
            User.display_name,
            User.role,
            User.calendar_token,
            User.language,
            User.is_active,
            User.messages_ok,
            User.signup_summary_ok,
            User.totp_secret,
            User.totp_last_step,
        ],
        [
            [
                email,
                _NO_PASSWORD,
                name.strip()[:100],
                Role.GUEST.value,
                new_token()[0],
                language,
                True,
                True,
                False,
                "",
                0,
            ]
        ],
        skip_conflicts_on=User.email,
        returning=User.id,
    )
    if inserted:
        return inserted[0]
    row = await User.select(User.id).where(User.email == email).first()
    assert row is not None, "the clashing row is committed before ON CONFLICT skips"
    return row["id"]


# --- signing up without an account -------------------------------------------------------

GUEST_LINK_VALID = dt.timedelta(hours=48)
GUEST_LIMIT_ACTION = "guest_signup"


class GuestLinkInvalidError(Exception):
    """The confirmation link is unknown, used or expired."""


@dataclass(frozen=True)
class GuestConfirmation:
    outcome: SignUpOutcome
    personal_token: str
    """The token of the sign-up's personal page, where the browser goes next."""


async def request_guest_signup(data: GuestRequestInput, client_ip: str) -> None:
    """A visitor asks for a date without an account. Nothing holds a place yet: we keep the
    request and mail a link that confirms it. An address that belongs to a resident's (or
    staff) account gets a hint to log in instead; the page answers the same either way, so
    the form does not tell which addresses are registered. Requests count towards the mail
    limits of registration (per address and per source); over the limit nothing is sent."""
    if await over_limit(
        GUEST_LIMIT_ACTION,
        data.email,
        client_ip,
        MAIL_LIMIT_PER_ACCOUNT,
        MAIL_LIMIT_PER_IP,
        MAIL_WINDOW,
    ):
        log.info("guest sign-up request over the limit, ignored")
        return
    language = supported(current_locale.get())
    now = utcnow()
    async with write_transaction():
        row = await session_details(data.session_id)
        if row is None:
            return
        account = (
            await User.select(User.id, User.role, User.display_name, User.language)
            .where(User.email == data.email)
            .first()
        )
        if account and account["role"] != Role.GUEST.value:
            await _queue_login_hint(account, data, row, now)
        else:
            await _queue_confirmation(data, row, language, now)
    await wake_delivery()


async def _queue_confirmation(
    data: GuestRequestInput, row: dict[str, Any], language: str, now: dt.datetime
) -> None:
    token, token_hash = new_token()
    request = GuestSignUpRequest(
        token_hash=token_hash,
        session=data.session_id,
        email=data.email,
        display_name=data.display_name,
        language=language,
        companions=data.companions,
        consent_at=now,
        expires_at=now + GUEST_LINK_VALID,
    )
    await request.save()
    with use_locale(language):
        place = place_text(row)
    await queue_email(
        f"signup_guest_confirm:{request.id}",
        data.email,
        N_("Bitte bestätigen Sie Ihre Anmeldung: {title}"),
        "signup_guest_confirm",
        {
            "name": data.display_name,
            "title": row["title"],
            "starts_at": row["starts_at"],
            "ends_at": row["ends_at"],
            "place": place,
            "url": opportunity_url(row["opportunity_id"]),
            "contact_name": row.get("contact_name") or "",
            "contact_email": row.get("contact_email") or "",
            "companions": data.companions,
            "confirm_url": site_url("guests:confirm", token=token),
            "hours": int(GUEST_LINK_VALID.total_seconds() // 3600),
        },
        language=language,
        subject_args={"title": row["title"]},
    )


async def _queue_login_hint(
    account: dict[str, Any], data: GuestRequestInput, row: dict[str, Any], now: dt.datetime
) -> None:
    detail = site_url("opportunities:detail", opportunity_id=row["opportunity_id"])
    await queue_email(
        # One hint per account, date and hour at most: the form cannot flood a mailbox.
        f"signup_guest_has_account:{account['id']}:{data.session_id}:{now:%Y%m%d%H}",
        data.email,
        N_("Sie haben schon ein Konto: {title}"),
        "signup_guest_has_account",
        {
            "name": account["display_name"],
            "title": row["title"],
            "starts_at": row["starts_at"],
            "ends_at": row["ends_at"],
            "login_url": site_url("accounts:login") + "?" + urlencode({"next": detail}),
            "reset_url": site_url("accounts:forgot"),
        },
        language=account["language"],
        subject_args={"title": row["title"]},
    )


async def _confirm_once(token: str) -> tuple[GuestConfirmation, int | None]:
    now = utcnow()
    async with write_transaction():
        used = (
            await GuestSignUpRequest.update({GuestSignUpRequest.used_at: now})
            .where(
                (GuestSignUpRequest.token_hash == hash_token(token))
                & GuestSignUpRequest.used_at.is_null()
                & (GuestSignUpRequest.expires_at > now)
            )
            .returning(
                GuestSignUpRequest.session,
                GuestSignUpRequest.email,
                GuestSignUpRequest.display_name,
                GuestSignUpRequest.language,
                GuestSignUpRequest.companions,
                GuestSignUpRequest.consent_at,
            )
        )
        if not used:
            raise GuestLinkInvalidError(token)
        request = used[0]
        user_id = await find_or_create_guest(
            request["email"], request["display_name"], request["language"]
        )
        # The click proves the address; a guest's consent is the one given on the form.
        await User.update({User.email_verified_at: now}).where(
            (User.id == user_id) & User.email_verified_at.is_null()
        )
        await User.update({User.privacy_consent_at: request["consent_at"]}).where(
            (User.id == user_id) & User.privacy_consent_at.is_null()
        )
        outcome, email_id = await sign_up_in_transaction(
            user_id, request["session"], request["companions"], now
        )
        personal_token = await ensure_link(outcome.signup_id)
    return GuestConfirmation(outcome, personal_token), email_id


async def confirm_guest_signup(token: str) -> GuestConfirmation:
    """The click on the emailed link: in ONE transaction the link is used up, the guest
    account found or created and confirmed, and the sign-up made through the residents'
    path (capacity, waitlist, requirements, confirmation mail with .ics). A refusal (date
    closed or gone, a requirement missing) rolls all of it back, the link included.
    Raises GuestLinkInvalidError, SessionNotFoundError or SignUpRefusedError."""
    if not token or len(token) > 100:
        raise GuestLinkInvalidError(token)
    try:
        confirmation, email_id = await _confirm_once(token)
    except CONSTRAINT_ERRORS as error:
        if not is_unique_violation(error):
            raise
        # A parallel confirmation for the same address inserted the account or sign-up
        # first; everything of this attempt was rolled back, so it can simply run again.
        confirmation, email_id = await _confirm_once(token)
    if email_id is not None:
        await wake_delivery()
    return confirmation


async def guest_link_usable(token: str) -> bool:
    """True when the confirmation link can still be used (for the page that asks to confirm)."""
    if not token or len(token) > 100:
        return False
    row = (
        await GuestSignUpRequest.select(GuestSignUpRequest.id)
        .where(
            (GuestSignUpRequest.token_hash == hash_token(token))
            & GuestSignUpRequest.used_at.is_null()
            & (GuestSignUpRequest.expires_at > utcnow())
        )
        .first()
    )
    return row is not None


async def delete_stale_requests(now: dt.datetime | None = None) -> int:
    """Requests whose link expired or was used more than a day ago: they hold an address
    someone typed in, which we keep no longer than the link can work."""
    now = now or utcnow()
    async with write_transaction():
        deleted = (
            await GuestSignUpRequest.delete()
            .where(
                (GuestSignUpRequest.expires_at < now)
                | (GuestSignUpRequest.used_at < now - dt.timedelta(days=1))
            )
            .returning(GuestSignUpRequest.id)
        )
    return len(deleted)


# --- the personal sign-up page -----------------------------------------------------------


async def signup_of_token(token: str) -> dict[str, Any] | None:
    """The sign-up a personal link opens, with its date and the person (one query)."""
    if not token or len(token) > 100:
        return None
    return (
        await SignUp.select(
            SignUp.id,
            SignUp.status,
            SignUp.companions,
            SignUp.attendance,
            SignUp.checked_in_at,
            SignUp.user.as_alias("user_id"),
            SignUp.user.role.as_alias("role"),
            SignUp.user.display_name.as_alias("name"),
            SignUp.user.email.as_alias("email"),
            *session_columns(SignUp.session),
        )
        .where(SignUp.link_hash == hash_token(token))
        .first()
    )


async def upgrade_guest(user_id: int, password: str) -> str | None:
    """The guest becomes a resident: the same row, so every sign-up, attendance and answer
    stays theirs; a password and the privacy consent, then a login session. Returns the
    session token, or None when the account is no guest (any more)."""
    password_hash = hash_password(password)
    now = utcnow()
    async with write_transaction():
        changed = (
            await User.update(
                {
                    User.password_hash: password_hash,
                    User.role: Role.RESIDENT.value,
                    User.privacy_consent_at: now,
                }
            )
            .where((User.id == user_id) & (User.role == Role.GUEST.value))
            .returning(User.id)
        )
        if not changed:
            return None
        await User.update({User.email_verified_at: now}).where(
            (User.id == user_id) & User.email_verified_at.is_null()
        )
        return await start_session(user_id)
