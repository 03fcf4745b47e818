"""The demo town's audit log, so the admin page "Protokoll" shows what it is for on the
first start: officers creating and publishing their offers and recording attendance, one
participant list exported, and the administrator inviting staff, over the past weeks."""

from __future__ import annotations

import datetime as dt

from boerse.accounts.tables import Role, User
from boerse.audit.actions import Action
from boerse.audit.context import Actor
from boerse.audit.services import record
from boerse.lib.db import write_transaction
from boerse.opportunities.tables import HOLDING_STATUSES, Opportunity, OpportunitySession, SignUp

# Documentation networks (RFC 5737): the town hall's network and one from outside.
TOWN_HALL = "192.0.2.0/24"
OUTSIDE = "198.51.100.0/24"
OFFERS = 6
ATTENDANCE_LISTS = 4


async def audit_history(now: dt.datetime, admin_id: int) -> None:
    """A few dozen entries written through the audit service, each dated when it happened."""
    staff = {
        row["id"]: row
        for row in await User.select(User.id, User.display_name, User.role, User.created_at).where(
            User.role.is_in([Role.OFFICER.value, Role.ADMIN.value])
        )
    }

    def actor(user_id: int, network: str = TOWN_HALL) -> Actor:
        person = staff[user_id]
        return Actor(user_id, person["role"], person["display_name"], network)

    offers = (
        await Opportunity.select(
            Opportunity.id,
            Opportunity.title,
            Opportunity.created_by,
            Opportunity.created_at,
            Opportunity.published_at,
        )
        .where(Opportunity.created_by.is_not_null(), Opportunity.published_at.is_not_null())
        .order_by(Opportunity.published_at, ascending=False)
        .limit(OFFERS)
    )
    ended = (
        await OpportunitySession.select(
            OpportunitySession.id,
            OpportunitySession.ends_at,
            OpportunitySession.opportunity.created_by.as_alias("officer"),
        )
        .where(
            OpportunitySession.ends_at < now,
            OpportunitySession.opportunity.created_by.is_not_null(),
        )
        .order_by(OpportunitySession.ends_at, ascending=False)
        .limit(ATTENDANCE_LISTS)
    )
    counts = {
        row["session"]: row["n"]
        for row in await SignUp.raw(
            "SELECT session, COUNT(*) AS n FROM sign_up WHERE status IN ({}, {}) GROUP BY session",
            *HOLDING_STATUSES,
        )
    }
    async with write_transaction():
        for user_id, person in staff.items():
            if user_id != admin_id and person["role"] == Role.OFFICER.value:
                await record(
                    Action.STAFF_INVITED,
                    user_id,
                    summary=person["role"],
                    actor=actor(admin_id),
                    occurred_at=person["created_at"],
                )
        for offer in offers:
            who = actor(offer["created_by"])
            await record(
                Action.OPPORTUNITY_CREATED,
                offer["id"],
                summary=offer["title"],
                actor=who,
                occurred_at=offer["created_at"],
            )
            await record(
                Action.OPPORTUNITY_PUBLISHED,
                offer["id"],
                actor=who,
                occurred_at=offer["published_at"],
            )
        for number, session in enumerate(ended):
            who = actor(session["officer"], OUTSIDE if number == 0 else TOWN_HALL)
            taken = counts.get(session["id"], 0)
            await record(
                Action.ATTENDANCE_RECORDED,
                session["id"],
                count=taken,
                actor=who,
                occurred_at=session["ends_at"] + dt.timedelta(hours=20),
            )
            if number == 0:
                await record(
                    Action.PARTICIPANTS_EXPORTED,
                    session["id"],
                    count=taken,
                    actor=who,
                    occurred_at=session["ends_at"] + dt.timedelta(hours=20, minutes=5),
                )
