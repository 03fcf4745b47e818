"""Who may do what with partner keys and through them.

Admins alone issue, list and revoke keys. A key acts only for its own organisation: another
organisation's published offer is 403 (its existence is public anyway), its draft or closed
offer 404, exactly as `opportunities.rules.access_opportunity` decides for officers. Writing
needs a write key; a read key that tries gets 403."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar.exceptions import NotFoundException, PermissionDeniedException

from boerse.accounts.auth import CurrentUser
from boerse.lib.i18n import gettext as _
from boerse.opportunities import services as opportunity_services
from boerse.opportunities.tables import OpportunityStatus
from boerse.partners import services
from boerse.partners.services import KeyView
from boerse.partners.tables import KeyScope


@dataclass(frozen=True)
class Partner:
    """The partner a request authenticated as (see `boerse.partners.auth`)."""

    key_id: int
    prefix: str
    partner_name: str
    organisation_id: int | None
    scope: str

    @property
    def may_write(self) -> bool:
        return self.scope == KeyScope.WRITE.value and self.organisation_id is not None


def may_manage_keys(user: CurrentUser | None) -> bool:
    return user is not None and user.is_admin


async def access_partner_key(user: CurrentUser | None, key_id: int) -> KeyView:
    if not may_manage_keys(user):
        raise PermissionDeniedException()
    key = await services.key_view(key_id)
    if key is None:
        raise NotFoundException()
    return key


def require_organisation(partner: Partner) -> int:
    """The organisation a key reads drafts and counts of; 403 for a key without one."""
    if partner.organisation_id is None:
        raise PermissionDeniedException(_("Dieser Schlüssel gehört zu keiner Organisation."))
    return partner.organisation_id


def require_write(partner: Partner) -> int:
    if not partner.may_write:
        raise PermissionDeniedException(_("Dieser Schlüssel darf nur lesen."))
    return require_organisation(partner)


async def access_partner_opportunity(
    partner: Partner, opportunity_id: int, *, write: bool = False
) -> dict[str, Any]:
    """The offer as its detail row, if it belongs to the key's organisation."""
    if write:
        require_write(partner)
    opportunity = await opportunity_services.get_opportunity(opportunity_id)
    if opportunity is None:
        raise NotFoundException()
    if opportunity["organisation_id"] != partner.organisation_id:
        if opportunity["status"] != OpportunityStatus.PUBLISHED.value:
            raise NotFoundException()
        raise PermissionDeniedException(_("Das Angebot gehört einer anderen Organisation."))
    return opportunity


async def access_partner_date(
    partner: Partner, opportunity_id: int, date_id: int, *, write: bool = False
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The offer and one of its dates; 404 for a date of another offer."""
    opportunity = await access_partner_opportunity(partner, opportunity_id, write=write)
    session = await opportunity_services.get_session(opportunity_id, date_id)
    if session is None:
        raise NotFoundException()
    return opportunity, session
