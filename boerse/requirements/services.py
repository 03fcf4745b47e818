"""Every query of the requirements domain: an opportunity's requirements, a person's
records, the people an officer checks, and the qualification list.

A "kind" is the key of a requirement and of a record: 0 for the extended certificate of
conduct, else the qualification's id (the unique indexes use COALESCE(qualification, 0))."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from boerse.accounts.tables import Organisation, User
from boerse.audit.actions import Action
from boerse.audit.services import record
from boerse.lib.db import utcnow, write_transaction
from boerse.lib.formatting import local
from boerse.lib.i18n import N_
from boerse.opportunities.calendar import LIVE_STATUSES
from boerse.opportunities.tables import (
    HOLDING_STATUSES,
    Attendance,
    Opportunity,
    SignUp,
)
from boerse.requirements import validity
from boerse.requirements.tables import OpportunityRequirement, Qualification, RequirementRecord

CERTIFICATE = 0
CERTIFICATE_NAME = N_("Erweitertes Führungszeugnis (§ 72a SGB VIII)")


def kind_of(qualification_id: int | None) -> int:
    return qualification_id or CERTIFICATE


@dataclass(frozen=True)
class Requirement:
    kind: int
    name: str
    """A msgid for curated entries and the certificate: templates show it `| translated`."""

    @property
    def is_certificate(self) -> bool:
        return self.kind == CERTIFICATE


@dataclass(frozen=True)
class Record:
    """What is stored of one proof, with the dates that follow from it."""

    id: int
    user_id: int
    kind: int
    name: str
    issued_on: dt.date | None
    relevant_entries: bool | None
    valid_until: dt.date | None
    seen_at: dt.datetime
    organisation_name: str
    counts_until: dt.date | None
    """The last day it counts (None: no end, or never for a certificate with entries)."""
    counts_today: bool
    deletion_day: dt.date

    @property
    def is_certificate(self) -> bool:
        return self.kind == CERTIFICATE

    def counts_on(self, day: dt.date) -> bool:
        if self.is_certificate:
            return validity.certificate_counts(self.issued_on, self.relevant_entries, day)
        return validity.qualification_counts(self.valid_until, day)


# --- qualifications -------------------------------------------------------------------------


async def qualification_choices(keep: Iterable[int] = ()) -> list[tuple[int, str]]:
    """Active qualifications, plus retired ones in `keep` (already chosen), in list order."""
    rows = (
        await Qualification.select(Qualification.id, Qualification.name, Qualification.retired_at)
        .order_by(Qualification.position)
        .order_by(Qualification.name)
    )
    kept = set(keep)
    return [(r["id"], r["name"]) for r in rows if r["retired_at"] is None or r["id"] in kept]


async def qualification_list() -> list[dict]:
    return (
        await Qualification.select().order_by(Qualification.position).order_by(Qualification.name)
    )


async def name_taken(name: str) -> bool:
    """Case-blind, also for umlauts (SQLite's LIKE folds ASCII only); the list is short."""
    wanted = name.casefold()
    return any(
        row["name"].casefold() == wanted for row in await Qualification.select(Qualification.name)
    )


async def add_qualification(name: str) -> int:
    """An administrator's entry, after the curated ones; its slug is only an identity."""
    async with write_transaction():
        count = await Qualification.count()
        row = Qualification(
            slug=f"eigene-{count + 1}-{utcnow():%Y%m%d%H%M%S%f}", name=name, position=1000 + count
        )
        await row.save()
        await record(Action.QUALIFICATION_ADDED, summary=name)
    return row.id


# --- requirements of opportunities ---------------------------------------------------------


async def requirements_by_opportunity(
    opportunity_ids: Iterable[int],
) -> dict[int, list[Requirement]]:
    """The requirements of these opportunities (certificate first), in one query."""
    ids = list(opportunity_ids)
    if not ids:
        return {}
    rows = await OpportunityRequirement.select(
        OpportunityRequirement.opportunity,
        OpportunityRequirement.qualification,
        OpportunityRequirement.qualification.name.as_alias("name"),
        OpportunityRequirement.qualification.position.as_alias("position"),
    ).where(OpportunityRequirement.opportunity.is_in(ids))
    found: dict[int, list[Requirement]] = {}
    for row in sorted(
        rows, key=lambda r: (r["qualification"] is not None, r["position"] or 0, r["name"] or "")
    ):
        kind = kind_of(row["qualification"])
        name = row["name"] if kind != CERTIFICATE else CERTIFICATE_NAME
        found.setdefault(row["opportunity"], []).append(Requirement(kind, name))
    return found


async def requirements_of(opportunity_id: int) -> list[Requirement]:
    return (await requirements_by_opportunity([opportunity_id])).get(opportunity_id, [])


async def set_requirements(opportunity_id: int, kinds: set[int]) -> bool:
    """Replace the opportunity's requirements by `kinds`; returns whether anything changed.
    Sign-ups that exist stay: the requirement applies to new sign-ups."""
    async with write_transaction():
        current = {r.kind for r in await requirements_of(opportunity_id)}
        if current == kinds:
            return False
        gone = current - kinds
        if gone:
            await OpportunityRequirement.delete().where(
                (OpportunityRequirement.opportunity == opportunity_id)
                & _kind_is(OpportunityRequirement, gone)
            )
        new = kinds - current
        if new:
            await OpportunityRequirement.insert(
                *(
                    OpportunityRequirement(opportunity=opportunity_id, qualification=kind or None)
                    for kind in sorted(new)
                )
            )
        await record(Action.REQUIREMENTS_SET, opportunity_id, summary=_count_summary(kinds))
    return True


async def copy_requirements(source_id: int, target_id: int) -> int:
    """A copied offer asks the same of its people: its requirements become the copy's
    (inside the copy's transaction; the copy has none yet). Returns how many."""
    rows = await OpportunityRequirement.select(OpportunityRequirement.qualification).where(
        OpportunityRequirement.opportunity == source_id
    )
    if rows:
        await OpportunityRequirement.insert(
            *(
                OpportunityRequirement(opportunity=target_id, qualification=row["qualification"])
                for row in rows
            )
        )
    return len(rows)


def _count_summary(kinds: set[int]) -> str:
    parts = []
    if CERTIFICATE in kinds:
        parts.append("Führungszeugnis")
    if qualifications := len(kinds - {CERTIFICATE}):
        parts.append(f"{qualifications} Qualifikation(en)")
    return ", ".join(parts) or "keine"


def _kind_is(table, kinds: Iterable[int]):
    """The rows of these kinds (0, the certificate, is the row without a qualification)."""
    kinds = set(kinds)
    ids = [k for k in kinds if k != CERTIFICATE]
    condition = table.qualification.is_in(ids) if ids else None
    if CERTIFICATE in kinds:
        null = table.qualification.is_null()
        condition = null if condition is None else (condition | null)
    return condition


# --- engagement and records -------------------------------------------------------------------


async def last_engagements(user_ids: Iterable[int]) -> dict[tuple[int, int], dt.date]:
    """Per (person, kind): the local end day of the person's last date (past or booked) of
    an opportunity requiring that kind. Dates they were absent from or only waited for do
    not count. Two queries whatever the number of people."""
    users = list(set(user_ids))
    if not users:
        return {}
    needs = await OpportunityRequirement.select(
        OpportunityRequirement.opportunity, OpportunityRequirement.qualification
    )
    kinds_of: dict[int, set[int]] = {}
    for row in needs:
        kinds_of.setdefault(row["opportunity"], set()).add(kind_of(row["qualification"]))
    if not kinds_of:
        return {}
    rows = await SignUp.select(
        SignUp.user,
        SignUp.session.opportunity.as_alias("opportunity"),
        SignUp.session.ends_at.as_alias("ends_at"),
    ).where(
        SignUp.user.is_in(users)
        & SignUp.session.opportunity.is_in(list(kinds_of))
        & SignUp.status.is_in(list(HOLDING_STATUSES))
        & (SignUp.attendance.is_null() | (SignUp.attendance != Attendance.ABSENT.value))
    )
    last: dict[tuple[int, int], dt.date] = {}
    for row in rows:
        day = local(row["ends_at"]).date()
        for kind in kinds_of[row["opportunity"]]:
            key = (row["user"], kind)
            if key not in last or last[key] < day:
                last[key] = day
    return last


_RECORD_COLUMNS = (
    RequirementRecord.id,
    RequirementRecord.user,
    RequirementRecord.qualification,
    RequirementRecord.qualification.name.as_alias("name"),
    RequirementRecord.issued_on,
    RequirementRecord.relevant_entries,
    RequirementRecord.valid_until,
    RequirementRecord.seen_at,
    RequirementRecord.organisation.name.as_alias("organisation_name"),
)


def _records(
    rows: list[dict], engagements: dict[tuple[int, int], dt.date], today: dt.date
) -> list[Record]:
    records = []
    for row in rows:
        kind = kind_of(row["qualification"])
        if kind == CERTIFICATE:
            until = (
                validity.certificate_last_day(row["issued_on"])
                if row["relevant_entries"] is False
                else None
            )
            counts = validity.certificate_counts(row["issued_on"], row["relevant_entries"], today)
        else:
            until = row["valid_until"]
            counts = validity.qualification_counts(until, today)
        recorded_on = local(row["seen_at"]).date()
        records.append(
            Record(
                id=row["id"],
                user_id=row["user"],
                kind=kind,
                name=CERTIFICATE_NAME if kind == CERTIFICATE else row["name"],
                issued_on=row["issued_on"],
                relevant_entries=row["relevant_entries"],
                valid_until=row["valid_until"],
                seen_at=row["seen_at"],
                organisation_name=row["organisation_name"] or "",
                counts_until=until,
                counts_today=counts,
                deletion_day=validity.deletion_day(
                    recorded_on, engagements.get((row["user"], kind))
                ),
            )
        )
    return sorted(records, key=lambda r: (not r.is_certificate, r.name))


async def records_of_people(user_ids: Iterable[int]) -> dict[int, list[Record]]:
    """Every record of these people with the dates that follow from it (three queries)."""
    users = list(set(user_ids))
    if not users:
        return {}
    rows = await RequirementRecord.select(*_RECORD_COLUMNS).where(
        RequirementRecord.user.is_in(users)
    )
    found: dict[int, list[Record]] = {}
    if not rows:
        return found
    today = local(utcnow()).date()
    for item in _records(rows, await last_engagements(users), today):
        found.setdefault(item.user_id, []).append(item)
    return found


async def records_of(user_id: int) -> list[Record]:
    return (await records_of_people([user_id])).get(user_id, [])


async def _save_record(
    user_id: int, kind: int, values: dict, organisation_id: int | None, recorded_by: int
) -> int:
    """Insert or overwrite the person's record of this kind; a renewal is a new inspection."""
    values = values | {
        RequirementRecord.seen_at: utcnow(),
        RequirementRecord.organisation: organisation_id,
        RequirementRecord.recorded_by: recorded_by,
        RequirementRecord.renewal_mailed_at: None,
    }
    existing = (
        await RequirementRecord.select(RequirementRecord.id)
        .where((RequirementRecord.user == user_id) & _kind_is(RequirementRecord, [kind]))
        .first()
    )
    if existing:
        await RequirementRecord.update(values).where(RequirementRecord.id == existing["id"])
        return existing["id"]
    row = RequirementRecord(
        {RequirementRecord.user: user_id, RequirementRecord.qualification: kind or None, **values}
    )
    await row.save()
    return row.id


async def record_certificate(
    user_id: int,
    issued_on: dt.date,
    relevant_entries: bool,
    organisation_id: int | None,
    recorded_by: int,
) -> int:
    """The officer saw the certificate: only its date of issue and the result are kept.
    The audit entry names the kind, never the result (it is the sensitive part)."""
    async with write_transaction():
        record_id = await _save_record(
            user_id,
            CERTIFICATE,
            {
                RequirementRecord.issued_on: issued_on,
                RequirementRecord.relevant_entries: relevant_entries,
                RequirementRecord.valid_until: None,
            },
            organisation_id,
            recorded_by,
        )
        await record(Action.REQUIREMENT_RECORDED, user_id, summary="Führungszeugnis eingesehen")
    return record_id


async def record_qualification(
    user_id: int,
    qualification_id: int,
    valid_until: dt.date | None,
    organisation_id: int | None,
    recorded_by: int,
) -> int:
    async with write_transaction():
        record_id = await _save_record(
            user_id,
            qualification_id,
            {
                RequirementRecord.issued_on: None,
                RequirementRecord.relevant_entries: None,
                RequirementRecord.valid_until: valid_until,
            },
            organisation_id,
            recorded_by,
        )
        name = (
            await Qualification.select(Qualification.name)
            .where(Qualification.id == qualification_id)
            .first()
        )
        await record(Action.REQUIREMENT_RECORDED, user_id, summary=name["name"] if name else "")
    return record_id


async def remove_record(user_id: int, record_id: int) -> bool:
    async with write_transaction():
        gone = (
            await RequirementRecord.delete()
            .where((RequirementRecord.id == record_id) & (RequirementRecord.user == user_id))
            .returning(RequirementRecord.qualification)
        )
        if gone:
            summary = "Führungszeugnis" if gone[0]["qualification"] is None else "Qualifikation"
            await record(Action.REQUIREMENT_REMOVED, user_id, summary=summary)
    return bool(gone)


async def active_qualification_ids() -> set[int]:
    rows = await Qualification.select(Qualification.id).where(Qualification.retired_at.is_null())
    return {row["id"] for row in rows}


# --- people ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    email: str


async def person(user_id: int) -> Person | None:
    row = (
        await User.select(User.id, User.display_name, User.email).where(User.id == user_id).first()
    )
    return Person(row["id"], row["display_name"], row["email"]) if row else None


async def person_by_email(email: str) -> Person | None:
    """Exact address only (stored lower-cased): officers cannot browse residents."""
    row = (
        await User.select(User.id, User.display_name, User.email)
        .where((User.email == email.strip().lower()) & (User.is_active == True))  # noqa: E712
        .first()
    )
    return Person(row["id"], row["display_name"], row["email"]) if row else None


async def related(organisation_id: int | None, user_id: int) -> bool:
    """The person is signed up (or waiting) for a date of the organisation, now or in the
    past, or one of their records was made by one of its officers."""
    if organisation_id is None:
        return False
    if await SignUp.exists().where(
        (SignUp.user == user_id)
        & (SignUp.session.opportunity.organisation == organisation_id)
        & SignUp.status.is_in(list(LIVE_STATUSES))
    ):
        return True
    return await RequirementRecord.exists().where(
        (RequirementRecord.user == user_id) & (RequirementRecord.organisation == organisation_id)
    )


@dataclass(frozen=True)
class PersonToCheck:
    person: Person
    opportunity_id: int
    title: str
    starts_at: dt.datetime
    status: str
    missing: list[str]


async def people_to_check(organisation_id: int | None, limit: int = 200) -> list[PersonToCheck]:
    """The participants and waitlist of the coming dates of opportunities with
    requirements (of one organisation; all for administrators), each with what is missing
    on that date. A fixed number of queries."""
    needs = OpportunityRequirement.select(OpportunityRequirement.opportunity)
    query = SignUp.select(
        SignUp.user,
        SignUp.user.display_name.as_alias("name"),
        SignUp.user.email.as_alias("email"),
        SignUp.status,
        SignUp.session.opportunity.as_alias("opportunity_id"),
        SignUp.session.opportunity.title.as_alias("title"),
        SignUp.session.starts_at.as_alias("starts_at"),
    ).where(
        SignUp.session.opportunity.is_in(needs)
        & SignUp.status.is_in(list(LIVE_STATUSES))
        & (SignUp.session.ends_at > utcnow())
    )
    if organisation_id is not None:
        query = query.where(SignUp.session.opportunity.organisation == organisation_id)
    rows = await query.order_by(SignUp.session.starts_at).limit(limit)
    requirements = await requirements_by_opportunity({r["opportunity_id"] for r in rows})
    records = await records_of_people({r["user"] for r in rows})
    result = []
    for row in rows:
        held = {item.kind: item for item in records.get(row["user"], [])}
        day = local(row["starts_at"]).date()
        missing = [
            need.name
            for need in requirements.get(row["opportunity_id"], [])
            if need.kind not in held or not held[need.kind].counts_on(day)
        ]
        result.append(
            PersonToCheck(
                Person(row["user"], row["name"], row["email"]),
                row["opportunity_id"],
                row["title"],
                row["starts_at"],
                row["status"],
                missing,
            )
        )
    return result


async def organisation_contact(organisation_id: int | None) -> dict | None:
    if organisation_id is None:
        return None
    return (
        await Organisation.select(
            Organisation.name, Organisation.contact_name, Organisation.contact_email
        )
        .where(Organisation.id == organisation_id)
        .first()
    )


async def opportunity_organisation(opportunity_id: int) -> int | None:
    row = (
        await Opportunity.select(Opportunity.organisation)
        .where(Opportunity.id == opportunity_id)
        .first()
    )
    return row["organisation"] if row else None
