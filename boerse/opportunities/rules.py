"""Who may see and manage an opportunity: the few checks every handler goes through.

An opportunity here is any mapping with `status` and `organisation_id` (the service rows)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from boerse.accounts.auth import CurrentUser
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
