"""The demo town's check-in: on the first demo officer's latest past date with people holding
places, some checked in with the code on their phone, the others were ticked off by the
officer, and one person came without signing up (a walk-in guest); her next date ahead has
its code already, so its notice ("Aushang") shows code and QR code on first start.

Written as rows (no mail is queued); runs after the offers and sign-ups are loaded."""

from __future__ import annotations

import datetime as dt

from boerse.accounts.tables import User
from boerse.checkin.services import CODE, WALKIN, ensure_code
from boerse.guests.services import find_or_create_guest
from boerse.lib.db import write_transaction
from boerse.opportunities.participants import ATTENDED, OFFICER, suggested_hours
from boerse.opportunities.tables import (
    HOLDING_STATUSES,
    OpportunitySession,
    SignUp,
    SignUpStatus,
)

WALK_IN_NAME = "Mehmet Aydın"
WALK_IN_EMAIL = "mehmet.aydin@post.example"


async def demo_checkin(now: dt.datetime, officer_email: str) -> None:
    officer = await User.select(User.organisation).where(User.email == officer_email).first()
    if officer is None or officer["organisation"] is None:
        return
    organisation = officer["organisation"]
    past = await _latest_past_date(organisation, now)
    if past is not None:
        await _checked_in(past, now)
    coming = (
        await OpportunitySession.select(OpportunitySession.id)
        .where(
            (OpportunitySession.opportunity.organisation == organisation)
            & (OpportunitySession.starts_at > now)
        )
        .order_by(OpportunitySession.starts_at)
        .first()
    )
    if coming is not None:
        await ensure_code(coming["id"])


async def _latest_past_date(organisation: int, now: dt.datetime) -> dict | None:
    """The organisation's most recent finished date at which at least three people held a
    place."""
    rows = (
        await SignUp.select(
            SignUp.session.as_alias("session_id"),
            SignUp.session.starts_at.as_alias("starts_at"),
        )
        .where(
            (SignUp.session.opportunity.organisation == organisation)
            & (SignUp.session.ends_at < now)
            & SignUp.status.is_in(list(HOLDING_STATUSES))
        )
        .order_by(SignUp.session.starts_at, ascending=False)
    )
    counts: dict[int, int] = {}
    for row in rows:
        counts[row["session_id"]] = counts.get(row["session_id"], 0) + 1
    chosen = next((row["session_id"] for row in rows if counts[row["session_id"]] >= 3), None)
    if chosen is None:
        return None
    return (
        await OpportunitySession.select(
            OpportunitySession.id, OpportunitySession.starts_at, OpportunitySession.ends_at
        )
        .where(OpportunitySession.id == chosen)
        .first()
    )


async def _checked_in(session: dict, now: dt.datetime) -> None:
    hours = suggested_hours(session["starts_at"], session["ends_at"])
    signups = (
        await SignUp.select(SignUp.id)
        .where((SignUp.session == session["id"]) & SignUp.status.is_in(list(HOLDING_STATUSES)))
        .order_by(SignUp.id)
    )
    ids = [row["id"] for row in signups]
    by_code, by_officer = ids[: (len(ids) + 1) // 2], ids[(len(ids) + 1) // 2 :]
    arrival = session["starts_at"] - dt.timedelta(minutes=10)
    await ensure_code(session["id"])  # the code it had on the day
    async with write_transaction():
        for method, group, moment in (
            (CODE, by_code, arrival),
            (OFFICER, by_officer, session["starts_at"] + dt.timedelta(minutes=5)),
        ):
            if group:
                await SignUp.update(
                    {
                        SignUp.attendance: ATTENDED,
                        SignUp.hours: hours,
                        SignUp.checked_in_at: moment,
                        SignUp.checkin_method: method,
                    }
                ).where(SignUp.id.is_in(group))
        guest = await find_or_create_guest(WALK_IN_EMAIL, WALK_IN_NAME, "de")
        if not await SignUp.exists().where(
            (SignUp.session == session["id"]) & (SignUp.user == guest)
        ):
            await SignUp(
                {
                    SignUp.session: session["id"],
                    SignUp.user: guest,
                    SignUp.status: SignUpStatus.CONFIRMED.value,
                    SignUp.attendance: ATTENDED,
                    SignUp.hours: hours,
                    SignUp.checked_in_at: session["starts_at"] + dt.timedelta(minutes=20),
                    SignUp.checkin_method: WALKIN,
                    SignUp.created_at: session["starts_at"] + dt.timedelta(minutes=20),
                    SignUp.signed_up_at: session["starts_at"] + dt.timedelta(minutes=20),
                    SignUp.updated_at: session["starts_at"] + dt.timedelta(minutes=20),
                }
            ).save()
            await OpportunitySession.update(
                {OpportunitySession.seats_taken: OpportunitySession.seats_taken + 1}
            ).where(OpportunitySession.id == session["id"])
