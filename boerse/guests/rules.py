"""Who may reach a guest page: the personal link is the only key to its sign-up, and the
guest form is only for public dates that have not begun."""

from __future__ import annotations

from typing import Any

from litestar.exceptions import NotFoundException

from boerse.guests import services
from boerse.lib.db import utcnow
from boerse.opportunities.signups import session_details
from boerse.opportunities.tables import OpportunityStatus
from boerse.requirements.checks import companion_limit


async def access_signup_link(token: str) -> dict[str, Any]:
    """The sign-up behind a personal link, or 404 (an unknown token tells nothing more)."""
    signup = await services.signup_of_token(token)
    if signup is None:
        raise NotFoundException()
    return signup


async def access_guest_date(session_id: int) -> dict[str, Any]:
    """A published date open for sign-up, or 404; `max_companions` is what a sign-up of it
    may bring (none on an offer with requirements)."""
    row = await session_details(session_id)
    if row is None or row["opportunity_status"] != OpportunityStatus.PUBLISHED.value:
        raise NotFoundException()
    row["is_past"] = row["starts_at"] <= utcnow()
    # The form offers (and accepts) companions only where they may come along.
    row["max_companions"] = await companion_limit(row["opportunity_id"], row["max_companions"])
    return row
