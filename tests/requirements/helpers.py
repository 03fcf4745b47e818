"""Rows the requirement tests share: an offer that needs something, and a recorded proof."""

from __future__ import annotations

import datetime as dt

from boerse.lib.db import utcnow
from boerse.requirements import services
from boerse.requirements.tables import Qualification
from tests.support.factories import make_opportunity, make_organisation, make_session


async def qualification_id(slug: str = "erste-hilfe") -> int:
    row = await Qualification.select(Qualification.id).where(Qualification.slug == slug).first()
    return row["id"]


async def youth_offer(*kinds: int, organisation=None, starts_in=dt.timedelta(days=7), **fields):
    """A published offer requiring `kinds` (default: the certificate), with one date."""
    organisation = organisation or await make_organisation()
    opportunity = await make_opportunity(
        organisation, title=fields.pop("title", "Jugendfreizeit"), **fields
    )
    await services.set_requirements(opportunity.id, set(kinds) if kinds else {services.CERTIFICATE})
    session = await make_session(opportunity, starts_in=starts_in)
    return organisation, opportunity, session


def years_ago(years: int, days: int = 0) -> dt.date:
    today = utcnow().date()
    return today.replace(year=today.year - years) - dt.timedelta(days=days)
