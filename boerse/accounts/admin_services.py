"""Administration: organisations, staff accounts (created on the command line or invited
by email) and deactivating or reactivating any account.

Kept apart from the resident-facing account services because only administrators (and
`boerse create-user`) reach these functions, and they share nothing with login or
registration but the emailed-token helpers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from piccolo.query.functions.aggregate import Count

from boerse.accounts.schemas import OrganisationInput, StaffInput, password_problem
from boerse.accounts.services import issue_token, token_link
from boerse.accounts.sessions import end_all_sessions
from boerse.accounts.tables import Organisation, OrganisationKind, Role, TokenPurpose, User
from boerse.audit.actions import Action
from boerse.audit.services import record
from boerse.lib.db import is_sqlite, utcnow, write_transaction
from boerse.lib.forms import EMAIL_PATTERN
from boerse.lib.i18n import N_
from boerse.lib.i18n import gettext as _
from boerse.lib.security import hash_password, new_token
from boerse.outbox.monitoring import failed_count
from boerse.outbox.services import queue_email, wake_delivery
from boerse.retention.tables import real_accounts

# A new officer may not read their mail the same afternoon; the link still works only once.
INVITE_VALID = dt.timedelta(days=7)

ACCOUNTS_PER_PAGE = 50


class InputError(ValueError):
    """Bad input found while writing (taken email, unknown organisation); carries the form
    field so the handler can show the message next to it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


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
        await record(Action.STAFF_CREATED, user.id, summary=role)
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
        await record(Action.STAFF_INVITED, user.id, summary=data.role)
        token_id, token = await issue_token(user.id, TokenPurpose.RESET_PASSWORD, INVITE_VALID)
        await queue_email(
            f"account_invite:{token_id}",
            data.email,
            N_("Ihr Zugang zur Mitmach-Börse"),
            "account_invite",
            {
                "name": data.display_name,
                "organisation": organisation["name"] if organisation else "",
                "is_admin": data.role == Role.ADMIN.value,
                "url": token_link("accounts:reset", token),
                "days": INVITE_VALID.days,
            },
        )
    await wake_delivery()
    return user.id


async def set_active(user_id: int, active: bool) -> bool:
    """(De)activates an account; deactivation also ends its sessions at once."""
    async with write_transaction():
        updated = (
            await User.update({User.is_active: active}).where(User.id == user_id).returning(User.id)
        )
        if updated and not active:
            await end_all_sessions(user_id)
        if updated:
            await record(
                Action.ACCOUNT_REACTIVATED if active else Action.ACCOUNT_DEACTIVATED, user_id
            )
    return bool(updated)


# --- administration ------------------------------------------------------------------------


@dataclass(frozen=True)
class Overview:
    organisations: int
    staff: int
    residents: int
    inactive: int
    failed_emails: int


async def admin_overview() -> Overview:
    return Overview(
        organisations=await Organisation.count(),
        staff=await User.count().where(User.role != Role.RESIDENT.value),
        residents=await User.count().where((User.role == Role.RESIDENT.value) & real_accounts()),
        inactive=await User.count().where(
            (User.is_active == False) & real_accounts()  # noqa: E712 - SQL
        ),
        failed_emails=await failed_count(),
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
        await record(Action.ORGANISATION_CREATED, organisation.id, summary=data.name)
    return organisation.id


@dataclass(frozen=True)
class AccountPage:
    rows: list[dict]
    total: int
    page: int
    pages: int


async def list_accounts(role: str = "", search: str = "", page: int = 1) -> AccountPage:
    """One page of accounts with their organisation's name: two queries whatever the page.
    The placeholders that hold anonymised sign-ups are no one's account and are left out."""
    condition = real_accounts()
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
            User.totp_enabled_at,
            User.organisation.name.as_alias("organisation_name"),
        )
        .where(condition)
        .order_by(User.email)
        .limit(ACCOUNTS_PER_PAGE)
        .offset((page - 1) * ACCOUNTS_PER_PAGE)
    )
    return AccountPage(rows=rows, total=total, page=page, pages=pages)
