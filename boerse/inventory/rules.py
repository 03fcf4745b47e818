"""Who may use the inventory: every officer and administrator reads the whole town's matrix
(it is the town's shared picture); an organisation's officers and administrators edit and
delete its entries outside the Börse."""

from __future__ import annotations

from litestar.exceptions import NotFoundException, PermissionDeniedException

from boerse.accounts.auth import CurrentUser
from boerse.inventory import services
from boerse.inventory.services import CellDetail, ExternalEntry
from boerse.opportunities.rules import acts_for


def can_add(user: CurrentUser | None) -> bool:
    """An entry belongs to an organisation: officers need one, administrators choose one."""
    if user is None or not user.is_officer:
        return False
    return user.is_admin or user.organisation_id is not None


def can_manage(user: CurrentUser | None, entry: ExternalEntry) -> bool:
    return acts_for(user, entry.organisation_id)


async def access_cell(field_id: int, mode: str) -> CellDetail:
    """The cell of a known field and mode, else 404 (the guard already checked the officer)."""
    detail = await services.cell(field_id, mode)
    if detail is None:
        raise NotFoundException()
    return detail


async def access_external(user: CurrentUser | None, entry_id: int) -> ExternalEntry:
    """An entry its organisation's officers (or an administrator) may edit or delete."""
    entry = await services.external_entry(entry_id)
    if entry is None:
        raise NotFoundException()
    if not can_manage(user, entry):
        raise PermissionDeniedException()
    return entry


def can_see_candidates(user: CurrentUser | None, organisation_id: int) -> bool:
    """The potential page links an offer with unmet demand to its "Passende Freiwillige" only
    for those who may open that list: the offer's organisation's officers and administrators
    (the list itself checks again)."""
    return acts_for(user, organisation_id)
