"""Each offer's next date, kept in `opportunity.next_starts_at` for the public list.

The list sorts offers by their next date and counts them on every visit. Computing that from
the dates (a MIN per offer over all upcoming dates) cost time in proportion to the town:
90 ms at 10,000 offers on SQLite. With the next date kept on the offer, an index on
(status, next_starts_at) gives the first page and the count without looking at other offers.

What the column means: the start of the earliest date that was still ahead when the offer's
dates last changed or the worker last looked. A value in the future is exact (no date can
have started between that moment and it), NULL is exact (dates are only added through
writes, which refresh it), and a value in the past is stale: that date has begun and a later
one may follow. The list reads stale rows with a per-offer MIN, so it never depends on the
worker being on time; the worker only keeps that set small (every minute) and repairs any
writer that bypassed the services (every night).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from piccolo.querystring import QueryString

from boerse.lib.db import utcnow
from boerse.opportunities.tables import Opportunity

# Only this constant text and the WHERE clauses below go into the SQL; values are parameters.
_NEXT_START = (
    "UPDATE opportunity SET next_starts_at = (SELECT MIN(s.starts_at) FROM opportunity_session"
    " AS s WHERE s.opportunity = opportunity.id AND s.starts_at > {})"
)


async def refresh_next_starts(
    opportunity_ids: Sequence[int] | None = None, now: dt.datetime | None = None
) -> None:
    """Recompute the next date of these offers (of all offers when None); called by the
    services in the transaction that adds, moves or deletes dates."""
    now = now or utcnow()
    if opportunity_ids is None:
        await Opportunity.raw(_NEXT_START, now)
    elif opportunity_ids:
        ids = QueryString(", ".join("{}" for _ in opportunity_ids), *opportunity_ids)
        await Opportunity.raw(_NEXT_START + " WHERE id IN ({})", now, ids)


async def refresh_next_start_of_session(session_id: int) -> None:
    """Recompute the next date of the offer this date belongs to (after moving it)."""
    await Opportunity.raw(
        _NEXT_START + " WHERE id = (SELECT opportunity FROM opportunity_session WHERE id = {})",  # noqa: S608
        utcnow(),
        session_id,
    )


async def advance_passed_next_starts(now: dt.datetime | None = None) -> None:
    """Move the offers whose kept next date has begun on to their following date."""
    now = now or utcnow()
    await Opportunity.raw(_NEXT_START + " WHERE next_starts_at <= {}", now, now)
