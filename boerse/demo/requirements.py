"""The demo town's requirements, on two existing offers (the town keeps its 60 offers):

- "Trainerassistenz im Kinderfußball" needs the extended certificate of conduct. Of the
  people signed up for its next date, the first showed a certificate a year ago; the second
  showed one that turns five years old in four weeks (the daily job asks them for a new
  one); the others signed up before the requirement was set and appear as missing on the
  officer's "Nachweise erfassen" page.
- "Bewegungstreff 60+ im Stadtpark" needs a first-aid course; everyone signed up for its
  coming dates showed one, valid for two more years.

Runs after the offers and sign-ups are written."""

from __future__ import annotations

import datetime as dt

from boerse.lib.db import write_transaction
from boerse.lib.formatting import local
from boerse.opportunities.tables import Opportunity, SignUp, SignUpStatus
from boerse.requirements.tables import OpportunityRequirement, Qualification, RequirementRecord
from boerse.requirements.taxonomy import ensure_qualifications
from boerse.requirements.validity import add_months

YOUTH_OFFER = "Trainerassistenz im Kinderfußball"
FIRST_AID_OFFER = "Bewegungstreff 60+ im Stadtpark"
SEATED = [SignUpStatus.REGISTERED.value, SignUpStatus.CONFIRMED.value]


async def _offer(title: str) -> dict | None:
    return (
        await Opportunity.select(Opportunity.id, Opportunity.organisation)
        .where(Opportunity.title == title)
        .first()
    )


async def _coming_people(opportunity_id: int, now: dt.datetime) -> list[int]:
    """Seated people of the offer's coming dates, earliest date and sign-up first."""
    rows = (
        await SignUp.select(SignUp.user)
        .where(
            (SignUp.session.opportunity == opportunity_id)
            & (SignUp.session.starts_at > now)
            & SignUp.status.is_in(SEATED)
        )
        .order_by(SignUp.session.starts_at)
        .order_by(SignUp.id)
    )
    return list(dict.fromkeys(row["user"] for row in rows))


async def demo_requirements(now: dt.datetime) -> None:
    await ensure_qualifications()
    today = local(now).date()
    youth = await _offer(YOUTH_OFFER)
    fitness = await _offer(FIRST_AID_OFFER)
    first_aid = (
        await Qualification.select(Qualification.id)
        .where(Qualification.slug == "erste-hilfe")
        .first()
    )
    async with write_transaction():
        if youth is not None:
            await OpportunityRequirement.insert(OpportunityRequirement(opportunity=youth["id"]))
            people = await _coming_people(youth["id"], now)
            issued = (add_months(today, -14), add_months(today, -60) + dt.timedelta(weeks=4))
            if people:
                await RequirementRecord.insert(
                    *(
                        RequirementRecord(
                            user=user_id,
                            issued_on=issued_on,
                            relevant_entries=False,
                            seen_at=now - dt.timedelta(days=20),
                            organisation=youth["organisation"],
                        )
                        for user_id, issued_on in zip(people, issued, strict=False)
                    )
                )
        if fitness is not None and first_aid is not None:
            await OpportunityRequirement.insert(
                OpportunityRequirement(opportunity=fitness["id"], qualification=first_aid["id"])
            )
            people = await _coming_people(fitness["id"], now)
            if people:
                await RequirementRecord.insert(
                    *(
                        RequirementRecord(
                            user=user_id,
                            qualification=first_aid["id"],
                            valid_until=add_months(today, 24),
                            seen_at=now - dt.timedelta(days=10),
                            organisation=fitness["organisation"],
                        )
                        for user_id in people
                    )
                )
