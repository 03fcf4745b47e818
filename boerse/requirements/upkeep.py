"""The daily upkeep of records: ask for a new certificate before the old one runs out, and
delete records whose time is over (see `validity` for both rules).

Both steps can run twice without doing anything twice: the renewal request is marked on
the record in the mail's transaction (and its dedupe key names record and date of issue),
and a deleted record is gone."""

from __future__ import annotations

import datetime as dt

from boerse.lib.db import utcnow, write_transaction
from boerse.lib.formatting import local
from boerse.lib.i18n import N_
from boerse.lib.urls import site_url
from boerse.outbox.services import queue_email
from boerse.requirements import services, validity
from boerse.requirements.tables import RequirementRecord

BATCH = 100


async def renewals_due(today: dt.date, limit: int = BATCH) -> list[dict]:
    """Certificates that count and run out within the notice period, not asked about yet."""
    cutoff = validity.add_months(today + validity.RENEWAL_NOTICE, -12 * validity.CERTIFICATE_YEARS)
    return (
        await RequirementRecord.select(
            RequirementRecord.id,
            RequirementRecord.issued_on,
            RequirementRecord.user.email.as_alias("email"),
            RequirementRecord.user.display_name.as_alias("name"),
            RequirementRecord.user.language.as_alias("language"),
            RequirementRecord.organisation,
        )
        .where(
            RequirementRecord.qualification.is_null()
            & (RequirementRecord.relevant_entries == False)  # noqa: E712 - SQL
            & RequirementRecord.renewal_mailed_at.is_null()
            & (RequirementRecord.issued_on <= cutoff)
            & (RequirementRecord.user.is_active == True)  # noqa: E712 - SQL
        )
        .order_by(RequirementRecord.id)
        .limit(limit)
    )


async def ask_for_renewal(row: dict, now: dt.datetime) -> bool:
    """One mail per certificate, in the person's language, naming whom to show the new
    one to. Returns False when a parallel run got there first."""
    contact = await services.organisation_contact(row["organisation"])
    async with write_transaction():
        marked = (
            await RequirementRecord.update({RequirementRecord.renewal_mailed_at: now})
            .where(
                (RequirementRecord.id == row["id"]) & RequirementRecord.renewal_mailed_at.is_null()
            )
            .returning(RequirementRecord.id)
        )
        if not marked:
            return False
        await queue_email(
            f"requirement_renewal:{row['id']}:{row['issued_on'].isoformat()}",
            row["email"],
            N_("Ihr erweitertes Führungszeugnis läuft bald ab"),
            "requirement_renewal",
            {
                "name": row["name"],
                "last_day": validity.certificate_last_day(row["issued_on"]),
                "organisation": (contact or {}).get("name", ""),
                "contact_name": (contact or {}).get("contact_name", ""),
                "contact_email": (contact or {}).get("contact_email", ""),
                "records_url": site_url("requirements:mine"),
            },
            language=row["language"],
        )
    return True


async def records_to_delete(
    today: dt.date, after_id: int = 0, limit: int = BATCH
) -> tuple[list[int], int]:
    """Of the next `limit` records after `after_id`, those whose deletion day has come;
    and the last id looked at (0 when there were none)."""
    rows = (
        await RequirementRecord.select(
            RequirementRecord.id,
            RequirementRecord.user,
            RequirementRecord.qualification,
            RequirementRecord.seen_at,
        )
        .where(RequirementRecord.id > after_id)
        .order_by(RequirementRecord.id)
        .limit(limit)
    )
    if not rows:
        return [], 0
    engagements = await services.last_engagements(row["user"] for row in rows)
    due = [
        row["id"]
        for row in rows
        if validity.deletion_day(
            local(row["seen_at"]).date(),
            engagements.get((row["user"], services.kind_of(row["qualification"]))),
        )
        <= today
    ]
    return due, rows[-1]["id"]


async def delete_records(ids: list[int]) -> int:
    if not ids:
        return 0
    async with write_transaction():
        gone = (
            await RequirementRecord.delete()
            .where(RequirementRecord.id.is_in(ids))
            .returning(RequirementRecord.id)
        )
    return len(gone)


def today() -> dt.date:
    return local(utcnow()).date()
