"""A signed-in person's own settings: password, email address, where they are logged in,
and which mails they receive.

Every change that a stolen session could abuse asks for the current password, counted by
`ratelimit` like a login (so an open browser cannot be used to guess it). Mails about the
change go through the outbox in the change's transaction, in the recipient's language;
the page never tells whether another account has an address (the mail to that address
does)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from boerse.accounts.ratelimit import (
    MAIL_LIMIT_PER_ACCOUNT,
    MAIL_LIMIT_PER_IP,
    MAIL_WINDOW,
    attempt_failed,
    attempt_succeeded,
    begin_attempt,
    over_limit,
)
from boerse.accounts.schemas import NotificationChoices
from boerse.accounts.services import token_link
from boerse.accounts.tables import EmailToken, LoginSession, TokenPurpose, User
from boerse.lib.db import CONSTRAINT_ERRORS, is_unique_violation, utcnow, write_transaction
from boerse.lib.i18n import N_
from boerse.lib.security import hash_password, hash_token, new_token, verify_password
from boerse.lib.urls import site_url
from boerse.outbox.services import queue_email, wake_delivery
from boerse.profiles.tables import Profile

CHANGE_EMAIL_VALID = dt.timedelta(hours=24)
PASSWORD_CHECK = "settings_password"
"""The rate limit's action name: its own counters, the login's policy (`ratelimit`)."""


class Check(StrEnum):
    OK = "ok"
    WRONG = "wrong"
    LOCKED = "locked"
    """Too many wrong passwords lately: refused before the password was looked at."""
    MAIL_LIMIT = "mail_limit"
    """Too many mails asked for within the hour."""


async def check_password(user_id: int, password: str, client_ip: str) -> Check:
    """The current password as proof for a change, counted per account and source like a
    login (argon2 makes each guess slow; the counter makes many impossible)."""
    attempt = await begin_attempt(PASSWORD_CHECK, f"user:{user_id}", client_ip)
    if not attempt.allowed:
        return Check.LOCKED
    row = await User.select(User.password_hash).where(User.id == user_id).first()
    if not verify_password(row["password_hash"] if row else None, password):
        await attempt_failed(attempt)
        return Check.WRONG
    await attempt_succeeded(attempt)
    return Check.OK


# --- password ------------------------------------------------------------------------------


async def change_password(
    user_id: int, current: str, new_password: str, session_token: str, client_ip: str
) -> Check:
    """Sets the new password after checking the current one. Every other login of the person
    ends (whoever knew the old password is out), this one stays; unused reset and address-change links die;
    the person is told by mail, so a change they did not make does not go unnoticed."""
    checked = await check_password(user_id, current, client_ip)
    if checked != Check.OK:
        return checked
    password_hash = hash_password(new_password)
    now = utcnow()
    async with write_transaction():
        user = (
            await User.select(User.email, User.display_name, User.language)
            .where(User.id == user_id)
            .first()
        )
        if user is None:
            return Check.WRONG
        await User.update({User.password_hash: password_hash}).where(User.id == user_id)
        await LoginSession.delete().where(
            (LoginSession.user == user_id) & (LoginSession.token_hash != hash_token(session_token))
        )
        # Reset links and pending address changes die with the old password: whoever used
        # it to ask for them must not finish them.
        await EmailToken.update({EmailToken.used_at: now}).where(
            (EmailToken.user == user_id)
            & EmailToken.purpose.is_in(
                [TokenPurpose.RESET_PASSWORD.value, TokenPurpose.CHANGE_EMAIL.value]
            )
            & EmailToken.used_at.is_null()
        )
        await queue_email(
            f"password_changed:{user_id}:{now.isoformat()}",
            user["email"],
            N_("Ihr Passwort wurde geändert"),
            "account_password_changed",
            {"name": user["display_name"], "reset_url": site_url("accounts:forgot")},
            language=user["language"],
        )
    await wake_delivery()
    return Check.OK


# --- email address -------------------------------------------------------------------------


async def request_email_change(
    user_id: int, new_email: str, password: str, client_ip: str
) -> Check:
    """Mails a confirmation link to the new address and tells the old one that a change was
    asked for; the login changes only when the link is opened. When another account has the
    new address nothing is changed and the new address gets a hint instead: the answer on
    the page is the same, so the form cannot be used to find out who is registered."""
    checked = await check_password(user_id, password, client_ip)
    if checked != Check.OK:
        return checked
    if await over_limit(
        "change_email",
        f"user:{user_id}",
        client_ip,
        MAIL_LIMIT_PER_ACCOUNT,
        MAIL_LIMIT_PER_IP,
        MAIL_WINDOW,
    ):
        return Check.MAIL_LIMIT
    now = utcnow()
    async with write_transaction():
        user = (
            await User.select(User.email, User.display_name, User.language)
            .where(User.id == user_id)
            .first()
        )
        if user is None:
            return Check.WRONG
        # Only the newest link works: an older one may sit in a mailbox the person gave up.
        await _retire_email_links(user_id, now)
        taken = await User.exists().where((User.email == new_email) & (User.id != user_id))
        if taken:
            await _queue_taken_hint(user_id, new_email, user["language"], now)
        else:
            await _queue_confirmation(user_id, new_email, user, now)
        await queue_email(
            f"email_change_requested:{user_id}:{now.isoformat()}",
            user["email"],
            N_("Änderung Ihrer E-Mail-Adresse beantragt"),
            "account_email_change_requested",
            {
                "name": user["display_name"],
                "new_email": new_email,
                "hours": _hours(CHANGE_EMAIL_VALID),
                "reset_url": site_url("accounts:forgot"),
            },
            language=user["language"],
        )
    await wake_delivery()
    return Check.OK


def _hours(valid: dt.timedelta) -> int:
    return int(valid.total_seconds() // 3600)


async def _retire_email_links(user_id: int, now: dt.datetime) -> None:
    await EmailToken.update({EmailToken.used_at: now}).where(
        (EmailToken.user == user_id)
        & (EmailToken.purpose == TokenPurpose.CHANGE_EMAIL.value)
        & EmailToken.used_at.is_null()
    )


async def _queue_confirmation(user_id: int, new_email: str, user: dict, now: dt.datetime) -> None:
    token, token_hash = new_token()
    row = EmailToken(
        token_hash=token_hash,
        user=user_id,
        purpose=TokenPurpose.CHANGE_EMAIL.value,
        new_email=new_email,
        expires_at=now + CHANGE_EMAIL_VALID,
    )
    await row.save()
    await queue_email(
        f"email_change_confirm:{row.id}",
        new_email,
        N_("Bitte bestätigen Sie Ihre neue E-Mail-Adresse"),
        "account_email_change_confirm",
        {
            "name": user["display_name"],
            "url": token_link("accounts:email_confirm", token),
            "hours": _hours(CHANGE_EMAIL_VALID),
        },
        language=user["language"],
    )


async def _queue_taken_hint(user_id: int, new_email: str, language: str, now: dt.datetime) -> None:
    """The address's owner learns that someone tried to move another account onto it (one
    such hint an hour). Written in the language of the one who asked: the address's own
    account is not looked at any further than its existence."""
    await queue_email(
        f"email_change_taken:{user_id}:{now:%Y%m%d%H}",
        new_email,
        N_("Diese E-Mail-Adresse hat bereits ein Konto"),
        "account_email_change_taken",
        {"login_url": site_url("accounts:login"), "reset_url": site_url("accounts:forgot")},
        language=language,
    )


async def pending_email_change(token: str) -> str | None:
    """The new address a still valid link would set (for the page that confirms it)."""
    if not token:
        return None
    row = (
        await EmailToken.select(EmailToken.new_email)
        .where(
            (EmailToken.token_hash == hash_token(token))
            & (EmailToken.purpose == TokenPurpose.CHANGE_EMAIL.value)
            & EmailToken.used_at.is_null()
            & (EmailToken.expires_at > utcnow())
        )
        .first()
    )
    return row["new_email"] if row else None


class EmailChangeOutcome(StrEnum):
    DONE = "done"
    INVALID = "invalid"
    """Unknown, used or expired link."""
    TAKEN = "taken"
    """Another account took the address between the request and the click."""


async def confirm_email_change(token: str) -> EmailChangeOutcome:
    """The link proves the new address: it becomes the login (and counts as confirmed), and
    the old address is told, with a hint what to do if the person did not ask for it."""
    try:
        return await _confirm_email_change(token)
    except CONSTRAINT_ERRORS as error:
        if not is_unique_violation(error):
            raise
        return EmailChangeOutcome.TAKEN


async def _confirm_email_change(token: str) -> EmailChangeOutcome:
    if not token:
        return EmailChangeOutcome.INVALID
    now = utcnow()
    async with write_transaction():
        used = (
            await EmailToken.update({EmailToken.used_at: now})
            .where(
                (EmailToken.token_hash == hash_token(token))
                & (EmailToken.purpose == TokenPurpose.CHANGE_EMAIL.value)
                & EmailToken.used_at.is_null()
                & (EmailToken.expires_at > now)
            )
            .returning(EmailToken.user, EmailToken.new_email)
        )
        if not used:
            return EmailChangeOutcome.INVALID
        user_id, new_email = used[0]["user"], used[0]["new_email"]
        user = (
            await User.select(User.email, User.display_name, User.language)
            .where((User.id == user_id) & (User.is_active == True))  # noqa: E712 - SQL
            .first()
        )
        if user is None:
            return EmailChangeOutcome.INVALID
        if await User.exists().where((User.email == new_email) & (User.id != user_id)):
            return EmailChangeOutcome.TAKEN
        await User.update({User.email: new_email, User.email_verified_at: now}).where(
            User.id == user_id
        )
        await queue_email(
            f"email_changed:{user_id}:{now.isoformat()}",
            user["email"],
            N_("Ihre E-Mail-Adresse wurde geändert"),
            "account_email_changed",
            {
                "name": user["display_name"],
                "new_email": new_email,
                "reset_url": site_url("accounts:forgot"),
            },
            language=user["language"],
        )
    await wake_delivery()
    return EmailChangeOutcome.DONE


# --- sessions ------------------------------------------------------------------------------


async def log_out_everywhere(user_id: int) -> int:
    """Ends every login of the person, this one included; returns how many there were."""
    async with write_transaction():
        ended = (
            await LoginSession.delete()
            .where(LoginSession.user == user_id)
            .returning(LoginSession.id)
        )
    return len(ended)


async def other_session_count(user_id: int, session_token: str) -> int:
    """How many other logins the person has (shown before they end them)."""
    return await LoginSession.count().where(
        (LoginSession.user == user_id)
        & (LoginSession.token_hash != hash_token(session_token))
        & (LoginSession.second_factor_pending == False)  # noqa: E712 - SQL
    )


# --- notifications -------------------------------------------------------------------------


@dataclass(frozen=True)
class NotificationSettings:
    """The mails a person can choose; `digest_ok` is None without a profile."""

    messages_ok: bool
    signup_summary_ok: bool
    language: str
    digest_ok: bool | None


async def notification_settings(user_id: int) -> NotificationSettings:
    """Two queries: the account's choices and the profile's digest choice."""
    user = (
        await User.select(User.messages_ok, User.signup_summary_ok, User.language)
        .where(User.id == user_id)
        .first()
    )
    profile = await Profile.select(Profile.digest_ok).where(Profile.user == user_id).first()
    return NotificationSettings(
        messages_ok=bool(user and user["messages_ok"]),
        signup_summary_ok=bool(user and user["signup_summary_ok"]),
        language=user["language"] if user else "de",
        digest_ok=bool(profile["digest_ok"]) if profile else None,
    )


async def save_notifications(user_id: int, choices: NotificationChoices) -> None:
    """One transaction; a choice the page did not offer (None) is left as it is."""
    values = {User.messages_ok: choices.messages_ok, User.language: choices.language}
    if choices.signup_summary_ok is not None:
        values[User.signup_summary_ok] = choices.signup_summary_ok
    async with write_transaction():
        await User.update(values).where(User.id == user_id)
        if choices.digest_ok is not None:
            await Profile.update({Profile.digest_ok: choices.digest_ok}).where(
                Profile.user == user_id
            )
