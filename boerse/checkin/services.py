"""Check-in at the place: each date's short code (shown on a printed notice and as a QR code),
participants marking themselves present with it, and walk-ins the officer adds on the spot.

A code is made the first time someone needs it (the officer opens the notice), so no other
code path has to know about it. It is unique among the dates whose check-in has not closed
yet; a finished date keeps its code for the record, and the same letters may later be drawn
for a new date, so a lookup prefers the date whose check-in is still open or coming.

A participant is identified by their login or by the personal sign-up link (remembered in the
browser, or posted from the personal page); nobody else can be checked in with a code, and a
repeated check-in changes nothing."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from boerse.audit.actions import Action
from boerse.audit.services import record
from boerse.guests.services import find_or_create_guest
from boerse.lib.db import CONSTRAINT_ERRORS, is_unique_violation, utcnow, write_transaction
from boerse.matching.index import refresh_session
from boerse.opportunities.participants import ATTENDED, suggested_hours
from boerse.opportunities.signups import session_details
from boerse.opportunities.tables import (
    HOLDING_STATUSES,
    OpportunitySession,
    SignUp,
    SignUpStatus,
)

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
"""Letters and digits that cannot be mistaken for each other when read off a wall or typed
on a phone: no 0/O and no 1/I."""
CODE_LENGTH = 6
OPENS_BEFORE = dt.timedelta(minutes=60)
"""Check-in opens this long before the date begins (people arrive early)."""
GRACE_AFTER = dt.timedelta(minutes=60)
"""... and stays open this long after it ends (someone checks in while leaving)."""

CODE = "code"
WALKIN = "walkin"


class Outcome(StrEnum):
    """What a check-in attempt came to; the route shows one message per outcome."""

    CHECKED_IN = "checked_in"
    ALREADY = "already"
    UNKNOWN_CODE = "unknown_code"
    OTHER_DATE = "other_date"
    TOO_EARLY = "too_early"
    TOO_LATE = "too_late"
    NOT_SIGNED_UP = "not_signed_up"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"
    NOBODY = "nobody"


@dataclass(frozen=True)
class CheckInResult:
    outcome: Outcome
    session: dict[str, Any] | None = None
    """The date the code belongs to (title, times, place), when the code is known."""
    count: int = 0
    """How many sign-ups were checked in now (a family's links on one phone: several)."""

    @property
    def ok(self) -> bool:
        return self.outcome in {Outcome.CHECKED_IN, Outcome.ALREADY}


def normalise_code(text: str) -> str:
    """What was typed or scanned, in capitals without spaces or dashes ("abc-23x" → "ABC23X")."""
    return "".join(text.split()).replace("-", "").upper()


def looks_like_code(code: str) -> bool:
    return len(code) == CODE_LENGTH and all(char in ALPHABET for char in code)


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def window(starts_at: dt.datetime, ends_at: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """From when until when a date's check-in is open."""
    return starts_at - OPENS_BEFORE, ends_at + GRACE_AFTER


async def ensure_code(session_id: int) -> str:
    """The date's code, made now if it has none. Raises LookupError for an unknown date.

    A drawn code that an open or coming date already holds is drawn again; the conditional
    update keeps the first of two parallel callers' codes."""
    for _ in range(20):
        async with write_transaction():
            row = (
                await OpportunitySession.select(OpportunitySession.checkin_code)
                .where(OpportunitySession.id == session_id)
                .first()
            )
            if row is None:
                raise LookupError(session_id)
            if row["checkin_code"]:
                return row["checkin_code"]
            code = new_code()
            clash = await OpportunitySession.exists().where(
                (OpportunitySession.checkin_code == code)
                & (OpportunitySession.ends_at > utcnow() - GRACE_AFTER)
            )
            if clash:
                continue
            await OpportunitySession.update({OpportunitySession.checkin_code: code}).where(
                (OpportunitySession.id == session_id) & (OpportunitySession.checkin_code == "")
            )
    raise RuntimeError("no free check-in code after 20 draws")


async def session_of_code(code: str) -> dict[str, Any] | None:
    """The date a code stands for: the one whose check-in is open or coming, else the latest
    finished one (so its visitors are told that it is over, not that the code is wrong)."""
    if not looks_like_code(code):
        return None
    rows = (
        await OpportunitySession.select(
            OpportunitySession.id, OpportunitySession.starts_at, OpportunitySession.ends_at
        )
        .where(OpportunitySession.checkin_code == code)
        .order_by(OpportunitySession.starts_at, ascending=False)
    )
    if not rows:
        return None
    now = utcnow()
    current = [row for row in rows if window(row["starts_at"], row["ends_at"])[1] >= now]
    chosen = current[-1] if current else rows[0]
    return await session_details(chosen["id"])


async def _check_in(
    session: dict[str, Any], user_id: int | None, signup_ids: list[int]
) -> CheckInResult:
    """Check in whoever of the identified people holds a place at `session`."""
    session_id = session["session_id"]
    if user_id is None and not signup_ids:
        return CheckInResult(Outcome.NOBODY, session)
    mine = SignUp.id.is_in(signup_ids or [0])
    if user_id is not None:
        mine = mine | (SignUp.user == user_id)
    now = utcnow()
    async with write_transaction():
        rows = await SignUp.select(SignUp.id, SignUp.status, SignUp.attendance).where(
            (SignUp.session == session_id) & mine
        )
        if not rows:
            return CheckInResult(Outcome.NOT_SIGNED_UP, session)
        holding = [row for row in rows if row["status"] in HOLDING_STATUSES]
        if not holding:
            waiting = any(row["status"] == SignUpStatus.WAITLISTED.value for row in rows)
            return CheckInResult(Outcome.WAITLISTED if waiting else Outcome.CANCELLED, session)
        opens, closes = window(session["starts_at"], session["ends_at"])
        if now < opens:
            return CheckInResult(Outcome.TOO_EARLY, session)
        if now > closes:
            return CheckInResult(Outcome.TOO_LATE, session)
        due = [row["id"] for row in holding if row["attendance"] != ATTENDED]
        if not due:
            return CheckInResult(Outcome.ALREADY, session)
        await SignUp.update(
            {
                SignUp.attendance: ATTENDED,
                SignUp.checked_in_at: now,
                SignUp.checkin_method: CODE,
                SignUp.updated_at: now,
            }
        ).where(SignUp.id.is_in(due))
        # The date's length as the first guess of their hours; the officer may correct it.
        await SignUp.update(
            {SignUp.hours: suggested_hours(session["starts_at"], session["ends_at"])}
        ).where(SignUp.id.is_in(due) & SignUp.hours.is_null())
    return CheckInResult(Outcome.CHECKED_IN, session, len(due))


async def check_in(code: str, user_id: int | None, signup_ids: list[int]) -> CheckInResult:
    """A participant opened the QR link or typed the code: `user_id` is the login (or None),
    `signup_ids` the sign-ups of the personal links this browser remembers."""
    session = await session_of_code(normalise_code(code))
    if session is None:
        return CheckInResult(Outcome.UNKNOWN_CODE)
    return await _check_in(session, user_id, signup_ids)


async def check_in_signup(signup_id: int, code: str) -> CheckInResult:
    """From the personal sign-up page: the code must be the one of that sign-up's date."""
    session = await session_of_code(normalise_code(code))
    if session is None:
        return CheckInResult(Outcome.UNKNOWN_CODE)
    own = await SignUp.select(SignUp.session).where(SignUp.id == signup_id).first()
    if own is None or own["session"] != session["session_id"]:
        return CheckInResult(Outcome.OTHER_DATE, session)
    return await _check_in(session, None, [signup_id])


# ---------------------------------------------------------------- walk-ins


class WalkInRefusedError(Exception):
    """Why a walk-in cannot be added; `reason` is the route's message key."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class WalkIn:
    signup_id: int
    was_signed_up: bool
    """The person already held a place: they were only ticked off."""


async def _add_walk_in_once(session_id: int, email: str, name: str, language: str) -> WalkIn:
    now = utcnow()
    async with write_transaction():
        session = await session_details(session_id)
        if session is None:
            raise LookupError(session_id)
        if now < window(session["starts_at"], session["ends_at"])[0]:
            raise WalkInRefusedError("walkin_too_early")
        user_id = await find_or_create_guest(email, name, language)
        existing = (
            await SignUp.select(SignUp.id, SignUp.status, SignUp.companions, SignUp.hours)
            .where((SignUp.session == session_id) & (SignUp.user == user_id))
            .first()
        )
        hours = suggested_hours(session["starts_at"], session["ends_at"])
        present = {
            SignUp.attendance: ATTENDED,
            SignUp.updated_at: now,
        }
        if existing and existing["status"] in HOLDING_STATUSES:
            await SignUp.update(present).where(SignUp.id == existing["id"])
            await SignUp.update(
                {SignUp.checked_in_at: now, SignUp.checkin_method: "officer"}
            ).where((SignUp.id == existing["id"]) & SignUp.checked_in_at.is_null())
            await SignUp.update({SignUp.hours: hours}).where(
                (SignUp.id == existing["id"]) & SignUp.hours.is_null()
            )
            await record(Action.ATTENDANCE_RECORDED, session_id, count=1)
            return WalkIn(existing["id"], True)
        values = {
            **present,
            SignUp.status: SignUpStatus.CONFIRMED.value,
            SignUp.waitlisted_at: None,
            SignUp.hours: hours,
            SignUp.checked_in_at: now,
            SignUp.checkin_method: WALKIN,
            SignUp.companions: 0,
            SignUp.signed_up_at: now,
        }
        if existing:
            await SignUp.update(values).where(SignUp.id == existing["id"])
            signup_id = existing["id"]
        else:
            row = SignUp({SignUp.session: session_id, SignUp.user: user_id, **values})
            await row.save()
            signup_id = row.id
        await _count_place(session_id)
        await record(Action.WALK_IN_ADDED, signup_id)
    return WalkIn(signup_id, False)


async def _count_place(session_id: int) -> None:
    """A walk-in is there, so they hold a place in the counter even when the date is full:
    `seats_taken` stays the number of places held and may then exceed the capacity (nobody
    else can sign up for a full date; the list shows e.g. "11 von 10 Plätzen belegt")."""
    taken = (
        await OpportunitySession.update(
            {OpportunitySession.seats_taken: OpportunitySession.seats_taken + 1}
        )
        .where(OpportunitySession.id == session_id)
        .returning(OpportunitySession.seats_taken, OpportunitySession.capacity)
    )
    if taken and taken[0]["seats_taken"] == taken[0]["capacity"]:
        await refresh_session(session_id)  # it became full: the matching index must know


async def add_walk_in(session_id: int, email: str, name: str, language: str) -> WalkIn:
    """The officer adds someone who came without signing up (or ticks off someone who did,
    when the address is theirs). Their hours and the survey reach them by `email`: an
    unknown address becomes a guest account. Raises WalkInRefusedError before check-in opens."""
    try:
        return await _add_walk_in_once(session_id, email, name, language)
    except CONSTRAINT_ERRORS as error:
        if not is_unique_violation(error):
            raise
        # A parallel request added the same person first; now it finds that sign-up.
        return await _add_walk_in_once(session_id, email, name, language)
