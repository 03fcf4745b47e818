"""Who may see and manage an opportunity: the few checks every handler goes through.

The pure checks take any mapping with `status` and `organisation_id` (the service rows); the
access functions fetch the resource and return it or raise 404/403, so a handler never
decides visibility itself."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from litestar.exceptions import NotFoundException, PermissionDeniedException

from boerse.accounts.auth import CurrentUser
from boerse.opportunities import services, signups
from boerse.opportunities.participants import participants
from boerse.opportunities.tables import OpportunityStatus


def acts_for(user: CurrentUser | None, organisation_id: int) -> bool:
    """Officers act for their own organisation; administrators for every organisation."""
    if user is None or not user.is_officer:
        return False
    return user.is_admin or user.organisation_id == organisation_id


def can_view(user: CurrentUser | None, opportunity: Mapping[str, Any]) -> bool:
    """Published offers are public; drafts and closed ones stay inside their organisation."""
    if opportunity["status"] == OpportunityStatus.PUBLISHED.value:
        return True
    return acts_for(user, opportunity["organisation_id"])


def can_edit(user: CurrentUser | None, opportunity: Mapping[str, Any]) -> bool:
    return acts_for(user, opportunity["organisation_id"])


def can_create(user: CurrentUser | None) -> bool:
    """An officer needs an organisation to post in its name; administrators choose one."""
    if user is None or not user.is_officer:
        return False
    return user.is_admin or user.organisation_id is not None


async def access_opportunity(
    user: CurrentUser | None, opportunity_id: int, *, manage: bool = False
) -> dict[str, Any]:
    """The opportunity as its detail row. 404 when the person may not even see it (another
    organisation's draft, so its existence is not revealed); with `manage`, 403 when it is
    visible but not theirs to manage."""
    opportunity = await services.get_opportunity(opportunity_id)
    if opportunity is None or not can_view(user, opportunity):
        raise NotFoundException()
    if manage and not can_edit(user, opportunity):
        raise PermissionDeniedException()
    return opportunity


async def access_managed_session(user: CurrentUser | None, session_id: int) -> dict[str, Any]:
    """A date with its opportunity's details, for the officers acting for its organisation."""
    row = await signups.session_details(session_id)
    if row is None:
        raise NotFoundException()
    if not acts_for(user, row["organisation_id"]):
        raise PermissionDeniedException()
    return row


async def access_participant_list(user: CurrentUser | None, session_id: int) -> dict[str, Any]:
    """A date's participants and waitlist, for the officers acting for its organisation."""
    data = await participants(session_id)
    if data is None:
        raise NotFoundException()
    if not acts_for(user, data["session"]["organisation_id"]):
        raise PermissionDeniedException()
    return data
