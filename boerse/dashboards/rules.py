"""Who may see which results: the officer's detailed view, the evaluation dashboards and the
public pages.

The access functions return what may be shown (an opportunity's header, a dashboard's scope)
or raise, so a handler never decides visibility itself."""

from __future__ import annotations

from litestar.exceptions import NotFoundException, PermissionDeniedException

from boerse.accounts.auth import CurrentUser
from boerse.dashboards import services
from boerse.dashboards.figures import Scope
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


def access_dashboard(user: CurrentUser | None, organisation_id: int | None) -> Scope:
    """Officers evaluate their own organisation (asking for another one is refused, not
    quietly replaced); administrators the whole town (`organisation_id` None) or any one
    organisation. Residents are refused; the route's guard already sent anonymous visitors
    to the login."""
    if user is None or not user.is_officer:
        raise PermissionDeniedException()
    if user.is_admin:
        return Scope(organisation_id=organisation_id)
    if user.organisation_id is None:
        raise PermissionDeniedException()
    if organisation_id is not None and organisation_id != user.organisation_id:
        raise PermissionDeniedException()
    return Scope(organisation_id=user.organisation_id)
