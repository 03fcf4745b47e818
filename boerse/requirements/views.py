"""What the offer's detail page shows of its requirements, for whoever looks at it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from boerse.accounts.auth import CurrentUser
from boerse.lib.db import utcnow
from boerse.lib.formatting import local
from boerse.requirements import services


@dataclass(frozen=True)
class RequirementLine:
    name: str
    is_certificate: bool
    recorded: bool | None
    """For a signed-in person: whether a record of theirs counts today (None: anonymous)."""
    counts_until: dt.date | None


@dataclass(frozen=True)
class OpportunityRequirements:
    lines: list[RequirementLine]

    @property
    def has_certificate(self) -> bool:
        return any(line.is_certificate for line in self.lines)


async def for_detail_page(opportunity_id: int, user: CurrentUser | None) -> OpportunityRequirements:
    """One query for an offer without requirements; two more for a signed-in person."""
    needs = await services.requirements_of(opportunity_id)
    held = {}
    if needs and user is not None:
        held = {item.kind: item for item in await services.records_of(user.id)}
    today = local(utcnow()).date()
    lines = []
    for need in needs:
        item = held.get(need.kind)
        recorded = None if user is None else bool(item and item.counts_on(today))
        until = item.counts_until if item and recorded else None
        lines.append(RequirementLine(need.name, need.is_certificate, recorded, until))
    return OpportunityRequirements(lines)
