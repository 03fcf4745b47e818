"""Retention: what is kept how long, and the queries that forget the rest.

- Accounts whose address was never confirmed are deleted after UNVERIFIED_ACCOUNT_DAYS.
- Accounts without a login for INACTIVE_ACCOUNT_DAYS get one warning by email; if nobody
  logs in within INACTIVE_GRACE_DAYS after it, the account is deleted. Staff accounts are
  treated alike (a former officer should not keep access), except that the last active
  administrator is never deleted: the town would lose its administration.
- Guests (people who signed up for a date without an account, or whom an officer added by
  hand or as a walk-in) never log in, so logins say nothing about them and a warning that
  asks them to log in would make no sense. A guest account exists for its dates: it is
  deleted without a warning once the last date it was signed up for (in any status) ended
  SIGN_UP_RETENTION_DAYS ago, its participation anonymised first like everyone's. A guest
  without any sign-up left counts from the day the account was made. A guest who turned
  the account into a full one is a resident from then on and follows the login rule.
- A person's sign-ups and attendance are anonymised once the last date they signed up for
  ended SIGN_UP_RETENTION_DAYS ago: they move to a placeholder account (no name, no
  reachable address, no password), so each statistic (sign-ups, attendance, hours, distinct
  participants, survey invitations) stays exactly what it was. The sign-ups of one person
  stay together under one placeholder, because "how many different people took part" is
  one of the statistics; the placeholder does not say who it was.

Deleting reuses the account deletion residents use themselves (`delete_account`), after
the person's past participation was anonymised, so a deletion keeps the statistics too.
Every step works in small batches; the job checks its time budget in between."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from boerse.accounts.tables import Role, User
from boerse.audit.actions import Action
from boerse.audit.services import record_now
from boerse.lib.db import write_transaction
from boerse.lib.i18n import N_
from boerse.lib.security import new_token
from boerse.lib.urls import site_url
from boerse.opportunities.tables import SignUp
from boerse.outbox.services import NewEmail, queue_emails
from boerse.profiles.services import delete_account
from boerse.retention.tables import AnonymousParticipant, InactivityWarning, real_accounts
from boerse.settings import Settings

BATCH = 50
# Not an argon2 hash at all: verifying any password against it fails.
UNUSABLE_HASH = "!"
PLACEHOLDER_DOMAIN = "anonymisiert.invalid"
"""RFC 2606 reserves .invalid: no mail to a placeholder can ever be delivered."""


@dataclass(frozen=True)
class Periods:
    """The retention periods as time spans, read once per run from the settings."""

    unverified: dt.timedelta
    inactive: dt.timedelta
    grace: dt.timedelta
    sign_ups: dt.timedelta

    @classmethod
    def of(cls, settings: Settings) -> Periods:
        return cls(
            unverified=dt.timedelta(days=settings.unverified_account_days),
            inactive=dt.timedelta(days=settings.inactive_account_days),
            grace=dt.timedelta(days=settings.inactive_grace_days),
            sign_ups=dt.timedelta(days=settings.sign_up_retention_days),
        )


# --- anonymising participation -------------------------------------------------------------


async def _new_placeholder() -> int:
    """An account nobody can use: inactive, unreachable address, no password that verifies."""
    placeholder = User(
        email=f"anonym-{secrets.token_hex(12)}@{PLACEHOLDER_DOMAIN}",
        password_hash=UNUSABLE_HASH,
        display_name="",
        role=Role.RESIDENT.value,
        is_active=False,
        calendar_token=new_token()[0],
    )
    await placeholder.save()
    await AnonymousParticipant.insert(AnonymousParticipant(user=placeholder.id))
    return placeholder.id


async def anonymise_participation(user_id: int, now: dt.datetime) -> int:
    """Moves the person's sign-ups for dates that have ended to a new placeholder; returns
    how many moved. Future sign-ups stay (account deletion gives their places back)."""
    async with write_transaction():
        ended = [
            row["id"]
            for row in await SignUp.select(SignUp.id).where(
                (SignUp.user == user_id) & (SignUp.session.ends_at <= now)
            )
        ]
        if not ended:
            return 0
        placeholder = await _new_placeholder()
        await SignUp.update({SignUp.user: placeholder}).where(SignUp.id.is_in(ended))
    return len(ended)


async def people_to_anonymise(cutoff: dt.datetime, limit: int = BATCH) -> list[int]:
    """People (not placeholders) whose most recent sign-up is for a date that ended before
    `cutoff`. One grouped query; HAVING is written by hand (Piccolo has none)."""
    rows = await SignUp.raw(
        'SELECT s."user" AS user_id FROM sign_up s '
        "JOIN opportunity_session o ON o.id = s.session "
        'WHERE s."user" NOT IN (SELECT "user" FROM anonymous_participant) '
        'GROUP BY s."user" HAVING MAX(o.ends_at) < {} ORDER BY s."user" LIMIT {}',
        cutoff,
        limit,
    )
    return [row["user_id"] for row in rows]


# --- deleting accounts ----------------------------------------------------------------------


async def delete_with_history(user_id: int, now: dt.datetime) -> None:
    """Deletes the account the way its owner would, after its past participation moved to
    a placeholder (the deletion's cascade would otherwise take it out of the statistics)."""
    await anonymise_participation(user_id, now)
    await delete_account(user_id)


async def guests_to_delete(cutoff: dt.datetime, limit: int = BATCH) -> list[int]:
    """Guest accounts made before `cutoff` without a sign-up for a date that ended after it
    or is still to come (see the module's docstring). One query."""
    recent = SignUp.select(SignUp.user).where(SignUp.session.ends_at >= cutoff)
    rows = (
        await User.select(User.id)
        .where(
            User.role == Role.GUEST.value,
            User.created_at < cutoff,
            User.id.not_in(recent),
            real_accounts(),
        )
        .order_by(User.id)
        .limit(limit)
    )
    return [row["id"] for row in rows]


async def unverified_accounts(cutoff: dt.datetime, limit: int = BATCH) -> list[int]:
    """Registrations never confirmed. Guests are left out: an officer who adds a walk-in or a
    participant by hand creates a guest whose address nobody confirmed, yet who has real
    dates and hours that must not vanish with an abandoned registration's rules."""
    rows = (
        await User.select(User.id)
        .where(
            User.email_verified_at.is_null(),
            User.created_at < cutoff,
            User.role != Role.GUEST.value,
            real_accounts(),
        )
        .order_by(User.id)
        .limit(limit)
    )
    return [row["id"] for row in rows]


def _inactive_since(cutoff: dt.datetime):
    """No login since `cutoff` (never logged in: registered before it). A login session
    lasts at most SESSION_MAX_DAYS, so the last login is when the person was last here, to
    within those days."""
    return (User.last_login_at < cutoff) | (
        User.last_login_at.is_null() & (User.created_at < cutoff)
    )


async def forget_stale_warnings() -> int:
    """Warnings of people who logged in since: their account stays, and a later period of
    inactivity gets a warning of its own."""
    returned = InactivityWarning.select(InactivityWarning.id).where(
        InactivityWarning.user.last_login_at > InactivityWarning.warned_at
    )
    async with write_transaction():
        deleted = (
            await InactivityWarning.delete()
            .where(InactivityWarning.id.is_in(returned))
            .returning(InactivityWarning.id)
        )
    return len(deleted)


async def accounts_to_warn(cutoff: dt.datetime, limit: int = BATCH) -> list[dict]:
    """Active, confirmed, inactive since `cutoff`, and not warned yet; no guests (they
    cannot log in, and `guests_to_delete` has their own rule)."""
    return (
        await User.select(User.id, User.email, User.display_name, User.language)
        .where(
            User.is_active == True,  # noqa: E712 - SQL
            User.email_verified_at.is_not_null(),
            User.role != Role.GUEST.value,
            _inactive_since(cutoff),
            User.id.not_in(InactivityWarning.select(InactivityWarning.user)),
            real_accounts(),
        )
        .order_by(User.id)
        .limit(limit)
    )


async def warn_inactive(accounts: list[dict], now: dt.datetime, periods: Periods) -> int:
    """One warning row and one mail per account, in one transaction: the unique row makes
    a repeated run skip them. The mail's key names account and day, not the warning row:
    SQLite hands a deleted row's id to the next row, and a later warning must still go out."""
    async with write_transaction():
        await InactivityWarning.insert(
            *(InactivityWarning(user=account["id"], warned_at=now) for account in accounts)
        )
        await queue_emails(
            [
                NewEmail(
                    f"inactive_warning:{account['id']}:{now:%Y%m%d}",
                    account["email"],
                    N_("Ihr Konto bei der Mitmach-Börse wird bald gelöscht"),
                    "retention_inactive_warning",
                    {
                        "name": account["display_name"],
                        "login_url": site_url("accounts:login"),
                        "deletion_day": now + periods.grace,
                        "months": round(periods.inactive.days / 30.4),
                    },
                    language=account["language"],
                )
                for account in accounts
            ]
        )
    return len(accounts)


async def accounts_to_delete(
    now: dt.datetime, grace: dt.timedelta, after_id: int = 0, limit: int = BATCH
) -> list[dict]:
    """Warned at least `grace` ago and not logged in since the warning, from `after_id` on
    (an account that is kept, the last administrator, is passed over, not met again)."""
    return (
        await InactivityWarning.select(
            InactivityWarning.user.id.as_alias("id"), InactivityWarning.user.role.as_alias("role")
        )
        .where(
            InactivityWarning.user > after_id,
            InactivityWarning.warned_at <= now - grace,
            InactivityWarning.user.last_login_at.is_null()
            | (InactivityWarning.user.last_login_at <= InactivityWarning.warned_at),
        )
        .order_by(InactivityWarning.user)
        .limit(limit)
    )


async def is_last_admin(user_id: int) -> bool:
    """True when no other active administrator would remain."""
    others = await User.count().where(
        User.role == Role.ADMIN.value,
        User.is_active == True,  # noqa: E712 - SQL
        User.id != user_id,
    )
    return others == 0


async def note(action: Action, quantity: int) -> None:
    """One audit entry per step and run that did something, by the system."""
    if quantity:
        await record_now(action, count=quantity)
