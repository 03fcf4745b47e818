"""Who may reach a guest page: the personal link is the only key to its sign-up, and the
guest form is only for public dates that have not begun."""

from __future__ import annotations

from typing import Any

from litestar.exceptions import NotFoundException

from boerse.guests import services
from boerse.lib.db import utcnow
from boerse.opportunities.signups import session_details
from boerse.opportunities.tables import OpportunityStatus


async def access_signup_link(token: str) -> dict[str, Any]:
    """The sign-up behind a personal link, or 404 (an unknown token tells nothing more)."""
    signup = await services.signup_of_token(token)
    if signup is None:
        raise NotFoundException()
    return signup


async def access_guest_date(session_id: int) -> dict[str, Any]:
    """A published date open for sign-up, or 404."""
    row = await session_details(session_id)
    if row is None or row["opportunity_status"] != OpportunityStatus.PUBLISHED.value:
        raise NotFoundException()
    row["is_past"] = row["starts_at"] <= utcnow()
    return row
