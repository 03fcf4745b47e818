"""Who may use the officer's side of check-in: the officers acting for the date's organisation
(and administrators), exactly as for its participant list. Participants need no rule of their
own: a check-in only ever touches the sign-up of the person identified by login or link."""

from __future__ import annotations

from typing import Any

from boerse.accounts.auth import CurrentUser
from boerse.opportunities.rules import access_managed_session, access_participant_list


async def access_notice(user: CurrentUser | None, session_id: int) -> dict[str, Any]:
    """The date whose notice (code and QR code) the officer prints; 404/403 otherwise."""
    return await access_managed_session(user, session_id)


async def access_tick_list(user: CurrentUser | None, session_id: int) -> dict[str, Any]:
    """The date's participants for ticking off at the place (names, addresses and
    accessibility needs: the organiser's only); 404/403 otherwise."""
    return await access_participant_list(user, session_id)
