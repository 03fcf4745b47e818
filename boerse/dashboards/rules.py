"""Who may see which results: the officer's detailed view and the public pages.

Both access functions return the opportunity's header or raise, so a handler never decides
visibility itself."""

from __future__ import annotations

from litestar.exceptions import NotFoundException, PermissionDeniedException

from boerse.accounts.auth import CurrentUser
from boerse.dashboards import services
from boerse.dashboards.services import OpportunityHeader
from boerse.opportunities.rules import acts_for
from boerse.opportunities.tables import OpportunityStatus


def may_view_detailed_results(user: CurrentUser | None, header: OpportunityHeader) -> bool:
    """Officers see the detailed results of their own organisation's offers; admins of all."""
    return acts_for(user, header.organisation_id)


async def access_officer_results(
    user: CurrentUser | None, opportunity_id: int
) -> OpportunityHeader:
    header = await services.opportunity_header(opportunity_id)
    if header is None:
        raise NotFoundException()
    if not may_view_detailed_results(user, header):
        raise PermissionDeniedException()
    return header


async def access_public_results(opportunity_id: int) -> OpportunityHeader:
    """Drafts were never public, so their results page does not exist for the public."""
    header = await services.opportunity_header(opportunity_id)
    if header is None or header.status == OpportunityStatus.DRAFT:
        raise NotFoundException()
    return header
