"""Every query on organisations outside the account administration's list: reading one,
saving the form, reading the logo's bytes, and the public page's published offers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from boerse.accounts.tables import Organisation
from boerse.audit.actions import Action
from boerse.audit.services import record
from boerse.lib.db import CONSTRAINT_ERRORS, is_unique_violation, utcnow, write_transaction
from boerse.opportunities.tables import Opportunity, OpportunityStatus
from boerse.organisations.logos import logo_version
from boerse.organisations.schemas import OrganisationEdit

Row = dict[str, Any]

COLUMNS = (
    Organisation.id,
    Organisation.name,
    Organisation.kind,
    Organisation.description,
    Organisation.website,
    Organisation.contact_name,
    Organisation.contact_email,
    Organisation.contact_phone,
    Organisation.logo_type,
    Organisation.updated_at,
)


class NameTakenError(ValueError):
    """Another organisation has this name (names are unique: officers and residents tell
    organisations apart by name)."""


async def get_organisation(organisation_id: int) -> Row | None:
    """The organisation without its logo's bytes, with `logo_version` when it has a logo."""
    row = await Organisation.select(*COLUMNS).where(Organisation.id == organisation_id).first()
    if row is not None:
        row["logo_version"] = logo_version(row["updated_at"]) if row["logo_type"] else ""
    return row


@dataclass(frozen=True)
class StoredLogo:
    data: bytes
    mime: str
    version: str


async def get_logo(organisation_id: int) -> StoredLogo | None:
    row = (
        await Organisation.select(
            Organisation.logo, Organisation.logo_type, Organisation.updated_at
        )
        .where(Organisation.id == organisation_id)
        .first()
    )
    if row is None or not row["logo"] or not row["logo_type"]:
        return None
    return StoredLogo(bytes(row["logo"]), row["logo_type"], logo_version(row["updated_at"]))


async def update_organisation(organisation_id: int, data: OrganisationEdit) -> None:
    """Saves the form in one transaction; raises NameTakenError before writing anything."""
    columns: dict[Any, Any] = {
        Organisation.name: data.name,
        Organisation.description: data.description,
        Organisation.website: data.website,
        Organisation.contact_name: data.contact_name,
        Organisation.contact_email: data.contact_email,
        Organisation.contact_phone: data.contact_phone,
        Organisation.updated_at: utcnow(),
    }
    if data.logo is not None:
        columns[Organisation.logo] = data.logo.data
        columns[Organisation.logo_type] = data.logo.mime
    elif data.remove_logo:
        columns[Organisation.logo] = None
        columns[Organisation.logo_type] = ""
    try:
        async with write_transaction():
            taken = await Organisation.exists().where(
                (Organisation.name == data.name) & (Organisation.id != organisation_id)
            )
            if taken:
                raise NameTakenError(data.name)
            await Organisation.update(columns).where(Organisation.id == organisation_id)
            await record(Action.ORGANISATION_EDITED, organisation_id, summary=data.name)
    except CONSTRAINT_ERRORS as error:
        # Two saves racing to the same new name: the UNIQUE index decides.
        if not is_unique_violation(error):
            raise
        raise NameTakenError(data.name) from error


async def published_offers(organisation_id: int) -> list[Row]:
    """The organisation's public offers for its page, newest first (one query)."""
    return (
        await Opportunity.select(Opportunity.id, Opportunity.title, Opportunity.summary)
        .where(
            (Opportunity.organisation == organisation_id)
            & (Opportunity.status == OpportunityStatus.PUBLISHED.value)
        )
        .order_by(Opportunity.published_at, ascending=False)
        .limit(50)
    )
