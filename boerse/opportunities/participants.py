"""The officer's side of sign-ups: the participant list with its waitlist, confirming and
cancelling participants, and recording attendance and hours.

Kept apart from `signups` (the resident's side) because only officers of the organising
body reach these functions; both share the capacity and waitlist rules in `signups`, so
an officer's cancellation frees the place and promotes exactly as a resident's does."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from boerse.audit.actions import Action
from boerse.audit.services import record
from boerse.guests.services import find_or_create_guest
from boerse.lib.db import CONSTRAINT_ERRORS, is_unique_violation, utcnow, write_transaction
from boerse.opportunities import signups
from boerse.opportunities.calendar import LIVE_STATUSES, place_text
from boerse.opportunities.signups import (
    WAITLISTED,
    SignUpRefusedError,
    cancel_signup,
    notify_queued,
    places_of,
    queue_signup_email,
    session_details,
)
from boerse.opportunities.tables import (
    HOLDING_STATUSES,
    Attendance,
    OpportunityStatus,
    SignUp,
    SignUpStatus,
)
from boerse.outbox.services import wake_delivery
from boerse.profiles.accessibility import ACCESSIBILITY
from boerse.profiles.tables import Profile

ATTENDED = Attendance.ATTENDED.value
OFFICER = "officer"
"""`SignUp.checkin_method` when an officer ticked the person off (code: by the person's
phone, walkin: added at the place)."""


def session_length_hours(starts_at: dt.datetime, ends_at: dt.datetime) -> float:
    """The date's length in hours: the most anyone can have been engaged at it."""
    return max((ends_at - starts_at).total_seconds(), 0) / 3600


def suggested_hours(starts_at: dt.datetime, ends_at: dt.datetime) -> float:
    """The length rounded to quarter hours (at least a quarter), offered as the hours of
    everyone present; the officer corrects it for someone who came late or left early."""
    return max(round(session_length_hours(starts_at, ends_at) * 4) / 4, 0.25)


def hours_limit(starts_at: dt.datetime, ends_at: dt.datetime) -> float:
    """The most hours a form may record: the date's length, or its rounded suggestion when
    that is a little longer (1 h 55 min suggests 2 h, and 2 h must be accepted)."""
    exact = math.ceil(session_length_hours(starts_at, ends_at) * 100) / 100
    return max(exact, suggested_hours(starts_at, ends_at))


def needs_labels(slugs: list[str] | None) -> list[str]:
    """The person's accessibility needs as label msgids, in the list's order."""
    chosen = set(slugs or [])
    return [label for slug, label in ACCESSIBILITY if slug in chosen]


async def _needs_of(user_ids: list[int]) -> dict[int, list[str]]:
    """Accessibility needs per person (one query): shown only on the organiser's list."""
    if not user_ids:
        return {}
    rows = await Profile.select(Profile.user, Profile.accessibility_needs).where(
        Profile.user.is_in(user_ids)
    )
    return {row["user"]: needs_labels(row["accessibility_needs"]) for row in rows}


async def participants(session_id: int) -> dict[str, Any] | None:
    """Session plus its participants and waitlist for the officer's pages (three queries),
    each person with their accessibility needs: these pages are the organiser's only."""
    session = await session_details(session_id)
    if session is None:
        return None
    rows = (
        await SignUp.select(
            SignUp.id,
            SignUp.status,
            SignUp.attendance,
            SignUp.hours,
            SignUp.signed_up_at,
            SignUp.waitlisted_at,
            SignUp.companions,
            SignUp.checked_in_at,
            SignUp.checkin_method,
            SignUp.user.as_alias("user_id"),
            SignUp.user.display_name.as_alias("name"),
            SignUp.user.email.as_alias("email"),
        )
        .where((SignUp.session == session_id) & SignUp.status.is_in(list(LIVE_STATUSES)))
        .order_by(SignUp.signed_up_at)
        .order_by(SignUp.id)
    )
    needs = await _needs_of([row["user_id"] for row in rows])
    for row in rows:
        row["needs"] = needs.get(row["user_id"], [])
    waitlist = sorted(
        (row for row in rows if row["status"] == WAITLISTED),
        key=lambda row: (row["waitlisted_at"] or row["signed_up_at"], row["id"]),
    )
    session["place"] = place_text(session)
    session["has_started"] = session["starts_at"] <= utcnow()
    session["suggested_hours"] = suggested_hours(session["starts_at"], session["ends_at"])
    session["hours_limit"] = hours_limit(session["starts_at"], session["ends_at"])
    return {
        "session": session,
        "participants": [row for row in rows if row["status"] in HOLDING_STATUSES],
        "waitlist": waitlist,
        "waiting_people": sum(places_of(row["companions"]) for row in waitlist),
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
    session_id: int,
    entries: dict[int, tuple[str | None, float | None]],
    *,
    method: str = OFFICER,
) -> int:
    """Save attendance and hours for many participants at once (validated by the caller).

    Whoever is now present and was not checked in yet gets the moment and `method`; a
    check-in the person made with the code keeps its own; "not there" clears it."""
    now = utcnow()
    holding = SignUp.status.is_in(list(HOLDING_STATUSES))
    async with write_transaction():
        for signup_id, (attendance, hours) in entries.items():
            mine = (SignUp.id == signup_id) & (SignUp.session == session_id) & holding
            await SignUp.update(
                {SignUp.attendance: attendance, SignUp.hours: hours, SignUp.updated_at: now}
            ).where(mine)
            if attendance == ATTENDED:
                await SignUp.update(
                    {SignUp.checked_in_at: now, SignUp.checkin_method: method}
                ).where(mine & SignUp.checked_in_at.is_null())
            else:
                await SignUp.update({SignUp.checked_in_at: None, SignUp.checkin_method: ""}).where(
                    mine
                )
        await record(Action.ATTENDANCE_RECORDED, session_id, count=len(entries))
    return len(entries)


@dataclass(frozen=True)
class AddedParticipant:
    signup_id: int
    status: str
    changed: bool
    """False when the person already had a place or waited for one: nothing was added."""


async def _add_participant_once(
    session_id: int, email: str, name: str, language: str
) -> tuple[AddedParticipant, bool]:
    now = utcnow()
    async with write_transaction():
        row = await session_details(session_id)
        if row is None:
            raise LookupError(session_id)
        if row["starts_at"] <= now:
            raise SignUpRefusedError("add_closed", row["opportunity_id"])
        if row["opportunity_status"] != OpportunityStatus.PUBLISHED.value:
            raise SignUpRefusedError("add_unpublished", row["opportunity_id"])
        user_id = await find_or_create_guest(email, name, language)
        outcome, queued = await signups.sign_up_in_transaction(
            user_id, session_id, 0, now, vouched=True
        )
        if outcome.changed:
            await record(Action.PARTICIPANT_ADDED, outcome.signup_id)
    return AddedParticipant(outcome.signup_id, outcome.status, outcome.changed), queued is not None


async def add_participant(
    session_id: int, email: str, name: str, language: str
) -> AddedParticipant:
    """The officer signs someone up by hand (name and address, e.g. given on the phone):
    the same capacity, waitlist, age and requirement rules and the same confirmation mail as
    a sign-up of their own. An unknown address becomes a guest account; the officer vouches
    for it, so it need not be confirmed first. Someone already signed up is not added twice.
    Raises LookupError for an unknown date, SignUpRefusedError once the date has begun or
    when a rule refuses the person."""
    try:
        added, queued = await _add_participant_once(session_id, email, name, language)
    except CONSTRAINT_ERRORS as error:
        if not is_unique_violation(error):
            raise
        added, queued = await _add_participant_once(session_id, email, name, language)
    if queued:
        await wake_delivery()
    return added
