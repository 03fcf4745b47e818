"""The officer's side of sign-ups: the participant list with its waitlist, confirming and
cancelling participants, and recording attendance and hours.

Kept apart from `signups` (the resident's side) because only officers of the organising
body reach these functions; both share the capacity and waitlist rules in `signups`, so
an officer's cancellation frees the place and promotes exactly as a resident's does."""

from __future__ import annotations

from typing import Any

from boerse.audit.actions import Action
from boerse.audit.services import record
from boerse.lib.db import utcnow, write_transaction
from boerse.opportunities.calendar import LIVE_STATUSES, place_text
from boerse.opportunities.signups import (
    WAITLISTED,
    SignUpRefusedError,
    cancel_signup,
    notify_queued,
    queue_signup_email,
    session_details,
)
from boerse.opportunities.tables import HOLDING_STATUSES, SignUp, SignUpStatus


async def participants(session_id: int) -> dict[str, Any] | None:
    """Session plus its participants and waitlist for the officer's page (two queries)."""
    session = await session_details(session_id)
    if session is None:
        return None
    rows = (
        await SignUp.select(
            SignUp.id,
            SignUp.status,
            SignUp.attendance,
            SignUp.hours,
            SignUp.created_at,
            SignUp.waitlisted_at,
            SignUp.user.display_name.as_alias("name"),
            SignUp.user.email.as_alias("email"),
        )
        .where((SignUp.session == session_id) & SignUp.status.is_in(list(LIVE_STATUSES)))
        .order_by(SignUp.created_at)
        .order_by(SignUp.id)
    )
    waitlist = sorted(
        (row for row in rows if row["status"] == WAITLISTED),
        key=lambda row: (row["waitlisted_at"] or row["created_at"], row["id"]),
    )
    session["place"] = place_text(session)
    session["has_started"] = session["starts_at"] <= utcnow()
    return {
        "session": session,
        "participants": [row for row in rows if row["status"] in HOLDING_STATUSES],
        "waitlist": waitlist,
    }


async def confirm_participant(session_id: int, signup_id: int) -> bool:
    async with write_transaction():
        changed = (
            await SignUp.update(
                {SignUp.status: SignUpStatus.CONFIRMED.value, SignUp.updated_at: utcnow()}
            )
            .where(
                (SignUp.id == signup_id)
                & (SignUp.session == session_id)
                & (SignUp.status == SignUpStatus.REGISTERED.value)
            )
            .returning(SignUp.id)
        )
        if changed:
            await record(Action.PARTICIPANT_CONFIRMED, signup_id)
    return bool(changed)


async def cancel_participant(session_id: int, signup_id: int) -> bool:
    """The officer cancels someone (place or waitlist): the person is told by email and
    the freed place goes to the waitlist. Refused once the date has begun."""
    now = utcnow()
    async with write_transaction():
        row = await session_details(session_id)
        signup = (
            await SignUp.select(
                SignUp.id,
                SignUp.status,
                SignUp.user.email.as_alias("email"),
                SignUp.user.display_name.as_alias("name"),
                SignUp.user.language.as_alias("language"),
            )
            .where(
                (SignUp.id == signup_id)
                & (SignUp.session == session_id)
                & SignUp.status.is_in(list(LIVE_STATUSES))
            )
            .first()
        )
        if row is None or signup is None:
            return False
        if row["starts_at"] <= now:
            raise SignUpRefusedError("cancel_closed", row["opportunity_id"])
        email_ids = await cancel_signup(signup, row, now)
        if email_ids is None:
            return False
        await record(Action.PARTICIPANT_CANCELLED, signup_id)
        email_ids.append(
            (await queue_signup_email("signup_cancelled", signup_id, signup, row, now)).id
        )
    await notify_queued(email_ids)
    return True


async def record_attendance(
    session_id: int, entries: dict[int, tuple[str | None, float | None]]
) -> int:
    """Save attendance and hours for many participants at once (validated by the caller)."""
    now = utcnow()
    async with write_transaction():
        for signup_id, (attendance, hours) in entries.items():
            await SignUp.update(
                {SignUp.attendance: attendance, SignUp.hours: hours, SignUp.updated_at: now}
            ).where(
                (SignUp.id == signup_id)
                & (SignUp.session == session_id)
                & SignUp.status.is_in(list(HOLDING_STATUSES))
            )
        await record(Action.ATTENDANCE_RECORDED, session_id, count=len(entries))
    return len(entries)
