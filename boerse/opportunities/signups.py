"""Sign-ups, capacity and the waitlist: the resident's side (sign up, cancel) and the rules
every change of a place follows. The officer's side lives in `participants`.

A sign-up holds `1 + companions` places ("ich komme mit N weiteren Personen"). Places are
taken with ONE conditional UPDATE of the session's counter
(`seats_taken = seats_taken + n WHERE seats_taken + n <= capacity`), so capacity holds however
many people and groups press the button at the same moment. Whoever frees places promotes
from the waitlist in the same transaction, and every email is queued in the outbox inside
that transaction, so nothing is half done.

Promotion goes in waiting order, but a group that does not fit into the places now free is
passed over for a later sign-up that does (first fit). A date happens once: a place left
empty while a single person waits behind a group helps neither the organiser nor the group,
and the group keeps its position, so it is the first to move up as soon as enough places are
free together. (Strict order would keep places empty until the group fits, which may be
never.)"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from piccolo.columns.combination import WhereRaw

from boerse.accounts.tables import Role, User
from boerse.lib.db import (
    CONSTRAINT_ERRORS,
    is_sqlite,
    utcnow,
    write_transaction,
)
from boerse.lib.formatting import local
from boerse.lib.i18n import N_, use_locale
from boerse.lib.urls import site_url
from boerse.matching.index import refresh_session
from boerse.opportunities.calendar import (
    LIVE_STATUSES,
    live_signup,
    opportunity_url,
    place_text,
    session_columns,
    signup_ics,
    waitlist_positions,
)
from boerse.opportunities.signup_links import ensure_link, signup_link_url
from boerse.opportunities.tables import (
    HOLDING_STATUSES,
    OpportunitySession,
    OpportunityStatus,
    SignUp,
    SignUpStatus,
)
from boerse.outbox.services import QueuedEmail, queue_email, wake_delivery
from boerse.outbox.tables import OutboxEmail
from boerse.profiles.tables import Profile
from boerse.requirements.checks import check_requirements

WAITLISTED = SignUpStatus.WAITLISTED.value
CANCELLED = SignUpStatus.CANCELLED.value

# kind → (subject, template); the kind also starts the dedupe key ("waitlist_promoted:12:…").
EMAILS = {
    "signup_confirmed": (N_("Ihre Anmeldung: {title}"), "signup_confirmed"),
    "signup_waitlisted": (N_("Warteliste: {title}"), "signup_waitlisted"),
    "waitlist_promoted": (N_("Sie haben einen Platz: {title}"), "signup_promoted"),
    "signup_cancelled": (N_("Abgesagt: {title}"), "signup_cancelled"),
    "reminder": (N_("Erinnerung an Ihren Termin: {title}"), "signup_reminder"),
    "reminder2h": (N_("Heute: {title}"), "signup_reminder_today"),
}


class SessionNotFoundError(LookupError):
    """No such session (or its opportunity is not visible to residents)."""


UNVERIFIED = "signup_unverified"
"""Refusal reason for an account whose email address is not confirmed yet."""


TOO_MANY_COMPANIONS = "signup_too_many_companions"
"""Refusal reason for more companions than the opportunity allows."""


class SignUpRefusedError(Exception):
    """Why the action cannot happen; `reason` is the flash key the route shows."""

    def __init__(self, reason: str, opportunity_id: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.opportunity_id = opportunity_id


@dataclass(frozen=True)
class SignUpOutcome:
    signup_id: int
    status: str
    opportunity_id: int
    changed: bool
    """False when the person already had a live sign-up (a repeated click)."""
    companions: int = 0


# ---------------------------------------------------------------- reading


async def session_details(session_id: int) -> dict[str, Any] | None:
    """One session with its opportunity's title, place and organisation (one query)."""
    return (
        await OpportunitySession.select(*session_columns(OpportunitySession))
        .where(OpportunitySession.id == session_id)
        .first()
    )


async def signup_states(user_id: int | None, session_ids: list[int]) -> dict[int, str]:
    """The current user's sign-up status per session (registered, confirmed, waitlisted),
    in one query; sessions without a live sign-up are absent."""
    if user_id is None or not session_ids:
        return {}
    rows = await SignUp.select(SignUp.session, SignUp.status).where(
        (SignUp.user == user_id)
        & SignUp.session.is_in(list(session_ids))
        & SignUp.status.is_in(list(LIVE_STATUSES))
    )
    return {row["session"]: row["status"] for row in rows}


# ---------------------------------------------------------------- places


def places_of(companions: int | None) -> int:
    """How many places a sign-up holds: the person plus the people they bring."""
    return 1 + max(companions or 0, 0)


async def take_places(session_id: int, n: int = 1) -> bool:
    """The one conditional statement that guards capacity: all `n` places or none (inside
    the caller's transaction; whoever takes places writes the sign-up that holds them)."""
    taken = (
        await OpportunitySession.update(
            {OpportunitySession.seats_taken: OpportunitySession.seats_taken + n}
        )
        .where((OpportunitySession.id == session_id) & WhereRaw("seats_taken + {} <= capacity", n))
        .returning(OpportunitySession.seats_taken, OpportunitySession.capacity)
    )
    if taken and taken[0]["seats_taken"] >= taken[0]["capacity"]:
        await refresh_session(session_id)  # it became full: the matching index must know
    return bool(taken)


async def _take_places_or_wait(session_id: int, n: int = 1) -> bool:
    """On PostgreSQL a cancellation may be freeing places right now without seeing us on
    the waitlist yet: wait for it by locking the session row, then try once more. SQLite
    has a single writer, so nothing can change in between."""
    if await take_places(session_id, n):
        return True
    if is_sqlite():
        return False
    await (
        OpportunitySession.select(OpportunitySession.id)
        .where(OpportunitySession.id == session_id)
        .lock_rows("NO KEY UPDATE")
    )
    return await take_places(session_id, n)


async def _give_back_places(session_id: int, n: int = 1) -> None:
    """Frees `n` places; never below zero (a count repaired by hand may be lower)."""
    given = (
        await OpportunitySession.update(
            {OpportunitySession.seats_taken: OpportunitySession.seats_taken - n}
        )
        .where((OpportunitySession.id == session_id) & (OpportunitySession.seats_taken >= n))
        .returning(OpportunitySession.seats_taken, OpportunitySession.capacity)
    )
    if given:
        after, capacity = given[0]["seats_taken"], given[0]["capacity"]
        if after < capacity <= after + n:
            await refresh_session(session_id)  # it has a free place again
        return
    await OpportunitySession.update({OpportunitySession.seats_taken: 0}).where(
        (OpportunitySession.id == session_id) & (OpportunitySession.seats_taken > 0)
    )
    await refresh_session(session_id)


async def _free_places(session_id: int) -> int:
    row = (
        await OpportunitySession.select(OpportunitySession.capacity, OpportunitySession.seats_taken)
        .where(OpportunitySession.id == session_id)
        .first()
    )
    return max(row["capacity"] - row["seats_taken"], 0) if row else 0


async def _fill_from_waitlist(session_id: int, row: dict[str, Any], now: dt.datetime) -> list[int]:
    """Promote waiting sign-ups while places are free, in waiting order, each with all its
    places at once; a group that does not fit is passed over for a later one that does
    (see the module's docstring). Returns queued email ids."""
    email_ids: list[int] = []
    while (free := await _free_places(session_id)) > 0:
        candidate = (
            await SignUp.select(
                SignUp.id,
                SignUp.companions,
                SignUp.user.email.as_alias("email"),
                SignUp.user.display_name.as_alias("name"),
                SignUp.user.language.as_alias("language"),
                SignUp.user.role.as_alias("role"),
            )
            .where(
                (SignUp.session == session_id)
                & (SignUp.status == WAITLISTED)
                & (SignUp.companions < free)
            )
            .order_by(SignUp.waitlisted_at)
            .order_by(SignUp.id)
            .first()
        )
        if candidate is None:
            break
        places = places_of(candidate["companions"])
        if not await take_places(session_id, places):
            continue  # a parallel sign-up took places meanwhile: look again
        promoted = (
            await SignUp.update(
                {
                    SignUp.status: SignUpStatus.REGISTERED.value,
                    SignUp.waitlisted_at: None,
                    SignUp.updated_at: now,
                }
            )
            .where((SignUp.id == candidate["id"]) & (SignUp.status == WAITLISTED))
            .returning(SignUp.id)
        )
        if not promoted:  # the candidate left the waitlist meanwhile: next one
            await _give_back_places(session_id, places)
            continue
        queued = await queue_signup_email(
            "waitlist_promoted",
            candidate["id"],
            candidate,
            row,
            now,
            ics_status=SignUpStatus.REGISTERED.value,
        )
        email_ids.append(queued.id)
    return email_ids


async def cancel_signup(
    signup: dict[str, Any], row: dict[str, Any], now: dt.datetime
) -> list[int] | None:
    """Cancel one sign-up inside the caller's transaction; frees all its places (the person
    and their companions) and promotes. Returns None when a parallel request already changed
    it (so nothing is freed twice). The number of places comes from the row itself, so a
    caller that did not read the companions frees the right number."""
    changed = (
        await SignUp.update(
            {SignUp.status: CANCELLED, SignUp.waitlisted_at: None, SignUp.updated_at: now}
        )
        .where((SignUp.id == signup["id"]) & (SignUp.status == signup["status"]))
        .returning(SignUp.id, SignUp.companions)
    )
    if not changed:
        return None
    if signup["status"] not in HOLDING_STATUSES:
        return []
    await _give_back_places(row["session_id"], places_of(changed[0]["companions"]))
    return await _fill_from_waitlist(row["session_id"], row, now)


async def notify_queued(email_ids: list[int]) -> None:
    """Wake the worker for mails queued in a transaction; call only after it committed."""
    if email_ids:
        await wake_delivery()


# ---------------------------------------------------------------- emails


async def queue_signup_email(
    kind: str,
    signup_id: int,
    person: dict[str, Any],
    row: dict[str, Any],
    now: dt.datetime,
    *,
    ics_status: str | None = None,
    waitlist_position: int | None = None,
    extra: dict[str, Any] | None = None,
) -> QueuedEmail:
    """Queue one email about a sign-up in the person's language (`person["language"]`),
    with the date as a calendar attachment when `ics_status` is given; the timestamp in the
    key lets a later, separate event of the same kind (re-signing after a cancellation)
    send again."""
    subject, template = EMAILS[kind]
    language = person["language"]
    with use_locale(language):  # the place line ("Online") and the attachment's texts
        ics = signup_ics(signup_id, ics_status, row) if ics_status else ""
        place = place_text(row)
    companions, role = person.get("companions"), person.get("role")
    if companions is None or role is None:  # a caller that did not read them (reminders)
        found = (
            await SignUp.select(SignUp.companions, SignUp.user.role.as_alias("role"))
            .where(SignUp.id == signup_id)
            .first()
        ) or {"companions": 0, "role": ""}
        companions, role = found["companions"], found["role"]
    # Every mail about a sign-up carries its personal link (see, cancel, check in without
    # logging in); guests have no other way back to their sign-up.
    await ensure_link(signup_id)
    personal_url = signup_link_url(signup_id)
    context = {
        "companions": companions,
        "personal_url": personal_url,
        "is_guest": role == Role.GUEST.value,
        "name": person.get("name") or "",
        "title": row["title"],
        "starts_at": row["starts_at"],
        "ends_at": row["ends_at"],
        "place": place,
        "url": opportunity_url(row["opportunity_id"]),
        "my_dates_url": site_url("signups:my_dates"),
        "contact_name": row.get("contact_name") or "",
        "contact_email": row.get("contact_email") or "",
        "waitlist_position": waitlist_position,
        **(extra or {}),
    }
    stamp = int(now.timestamp() * 1_000_000)
    key = f"{kind}:{signup_id}" if kind in REMINDERS else f"{kind}:{signup_id}:{stamp}"
    return await queue_email(
        key,
        person["email"],
        subject,
        template,
        context,
        ics=ics,
        language=language,
        subject_args={"title": row["title"]},
    )


# ---------------------------------------------------------------- residents


def _check_open(row: dict[str, Any], now: dt.datetime) -> None:
    if row["opportunity_status"] != OpportunityStatus.PUBLISHED.value or row["starts_at"] <= now:
        raise SignUpRefusedError("signup_closed", row["opportunity_id"])


async def _check_age(user_id: int, row: dict[str, Any]) -> None:
    """Only a birth year is known, so refuse only when even the oldest possible age
    in the session's year is below the minimum; without a birth year we allow."""
    if not row["min_age"]:
        return
    profile = await Profile.select(Profile.birth_year).where(Profile.user == user_id).first()
    birth_year = profile["birth_year"] if profile else None
    if birth_year and row["starts_at"].year - birth_year < row["min_age"]:
        raise SignUpRefusedError("signup_too_young", row["opportunity_id"])


def _check_verified(person: dict[str, Any] | None, row: dict[str, Any]) -> None:
    """A booking sends mails (confirmation, reminder, survey) and holds a place that someone
    else may need: only an address that is known to reach its owner may take one."""
    if person is None or person["email_verified_at"] is None:
        raise SignUpRefusedError(UNVERIFIED, row["opportunity_id"])


def _check_companions(companions: int, row: dict[str, Any]) -> None:
    if companions < 0 or companions > (row.get("max_companions") or 0):
        raise SignUpRefusedError(TOO_MANY_COMPANIONS, row["opportunity_id"])


async def sign_up_in_transaction(
    user_id: int, session_id: int, companions: int, now: dt.datetime, *, vouched: bool = False
) -> tuple[SignUpOutcome, int | None]:
    """The whole sign-up inside the caller's transaction (a guest's confirmation creates the
    account in the same one): returns the outcome and the id of the queued mail, if any.
    `vouched`: an officer adds the person by hand and answers for the address, so it need
    not be confirmed first."""
    row = await session_details(session_id)
    if row is None or row["opportunity_status"] == OpportunityStatus.DRAFT.value:
        raise SessionNotFoundError(session_id)
    existing = (
        await SignUp.select(SignUp.id, SignUp.status, SignUp.companions)
        .where((SignUp.session == session_id) & (SignUp.user == user_id))
        .first()
    )
    if existing and existing["status"] != CANCELLED:
        outcome = SignUpOutcome(
            existing["id"],
            existing["status"],
            row["opportunity_id"],
            False,
            existing["companions"],
        )
        return outcome, None
    _check_open(row, now)
    _check_companions(companions, row)
    # One read of the person serves the check and the email.
    person = (
        await User.select(
            User.email,
            User.display_name.as_alias("name"),
            User.language,
            User.role,
            User.email_verified_at,
        )
        .where(User.id == user_id)
        .first()
    )
    if not vouched:
        _check_verified(person, row)
    await _check_age(user_id, row)
    await check_requirements(user_id, row, companions)
    status = SignUpStatus.REGISTERED.value
    if not await _take_places_or_wait(session_id, places_of(companions)):
        status = WAITLISTED
    values = {
        SignUp.status: status,
        SignUp.companions: companions,
        SignUp.waitlisted_at: now if status == WAITLISTED else None,
        SignUp.attendance: None,
        SignUp.hours: None,
        SignUp.checked_in_at: None,
        SignUp.checkin_method: "",
        SignUp.updated_at: now,
        SignUp.signed_up_at: now,
    }
    if existing:
        await SignUp.update(values).where(SignUp.id == existing["id"])
        signup_id = existing["id"]
    else:
        new = SignUp({SignUp.session: session_id, SignUp.user: user_id, **values})
        await new.save()
        signup_id = new.id
    person = {**person, "companions": companions}
    if status == WAITLISTED:
        position = (await waitlist_positions([session_id])).get(signup_id)
        queued = await queue_signup_email(
            "signup_waitlisted", signup_id, person, row, now, waitlist_position=position
        )
    else:
        queued = await queue_signup_email(
            "signup_confirmed", signup_id, person, row, now, ics_status=status
        )
    return SignUpOutcome(signup_id, status, row["opportunity_id"], True, companions), queued.id


async def _sign_up_once(
    user_id: int, session_id: int, companions: int
) -> tuple[SignUpOutcome, int | None]:
    async with write_transaction():
        return await sign_up_in_transaction(user_id, session_id, companions, utcnow())


async def sign_up(user_id: int, session_id: int, companions: int = 0) -> SignUpOutcome:
    """Take `1 + companions` places or join the waitlist; a repeated sign-up changes nothing.
    Raises SessionNotFoundError or SignUpRefusedError (closed, too young, too many companions,
    unverified, requirements)."""
    try:
        outcome, email_id = await _sign_up_once(user_id, session_id, companions)
    except CONSTRAINT_ERRORS:
        # Either the same person's parallel request inserted first (UNIQUE), or an officer
        # cancelled the date in between (its FOREIGN KEY): the second attempt finds that row,
        # or no date and raises SessionNotFoundError. Anything else fails again and is raised.
        outcome, email_id = await _sign_up_once(user_id, session_id, companions)
    if email_id is not None:
        await wake_delivery()
    return outcome


async def cancel(user_id: int, session_id: int) -> dict[str, Any]:
    """The resident cancels; frees the place and promotes the waitlist. Returns the
    session's details. Raises SessionNotFoundError, or SignUpRefusedError once the date has begun."""
    now = utcnow()
    email_ids: list[int] = []
    async with write_transaction():
        row = await session_details(session_id)
        if row is None:
            raise SessionNotFoundError(session_id)
        signup = await live_signup(user_id, session_id)
        if signup is not None:
            if row["starts_at"] <= now:
                raise SignUpRefusedError("cancel_closed", row["opportunity_id"])
            email_ids = await cancel_signup(signup, row, now) or []
    await notify_queued(email_ids)
    return row


async def release_places_of_user(user_id: int) -> int:
    """Before an account is deleted: cancel its future sign-ups, freeing places and
    promoting waitlists. Returns how many sign-ups were cancelled."""
    now = utcnow()
    email_ids: list[int] = []
    async with write_transaction():
        rows = await SignUp.select(
            SignUp.id, SignUp.status, *session_columns(SignUp.session)
        ).where(
            (SignUp.user == user_id)
            & SignUp.status.is_in(list(LIVE_STATUSES))
            & (SignUp.session.starts_at > now)
        )
        for row in rows:
            email_ids += await cancel_signup(row, row, now) or []
    await notify_queued(email_ids)
    return len(rows)


async def fill_from_waitlist(session_id: int) -> int:
    """After an officer raised a session's capacity: move waiting people up. Returns how many."""
    now = utcnow()
    async with write_transaction():
        row = await session_details(session_id)
        if row is None or row["starts_at"] <= now:
            return 0
        email_ids = await _fill_from_waitlist(session_id, row, now)
    await notify_queued(email_ids)
    return len(email_ids)


# ---------------------------------------------------------------- reminders

REMINDERS = ("reminder", "reminder2h")
"""The once-only mails of a place: the key is `<kind>:<signup id>` without a timestamp, so a
reminder goes out once however often the job runs (`reminder:` is the day-before one, as
before the two-hours one existed, so places reminded then are not reminded again)."""
DAY_BEFORE = dt.timedelta(hours=24)
TWO_HOURS = dt.timedelta(hours=2)


def reminder_due(
    starts_at: dt.datetime, now: dt.datetime, *, day_before: bool, two_hours: bool
) -> str | None:
    """Which reminder a place of a date starting at `starts_at` is due now, by the offer's
    choice: "reminder2h" within two hours when chosen, else "reminder" within a day when
    chosen. Within two hours the day-before one is no longer sent when the two-hours one is
    (someone who signs up an hour before gets one mail, not two)."""
    lead = starts_at - now
    if lead <= dt.timedelta(0):
        return None
    if two_hours and lead <= TWO_HOURS:
        return "reminder2h"
    if day_before and lead <= DAY_BEFORE:
        return "reminder"
    return None


async def queue_reminders(now: dt.datetime | None = None) -> int:
    """Queue the reminders due now (`reminder_due`) for every place, companions included in
    the one mail of their sign-up; each kind once per sign-up. Returns new mails."""
    now = now or utcnow()
    opportunity = SignUp.session.opportunity
    rows = await SignUp.select(
        SignUp.id,
        SignUp.status,
        SignUp.user.email.as_alias("email"),
        SignUp.user.display_name.as_alias("name"),
        SignUp.user.language.as_alias("language"),
        opportunity.remind_day_before.as_alias("remind_day_before"),
        opportunity.remind_two_hours.as_alias("remind_two_hours"),
        *session_columns(SignUp.session),
    ).where(
        SignUp.status.is_in(list(HOLDING_STATUSES))
        & (SignUp.session.starts_at > now)
        & (SignUp.session.starts_at <= now + DAY_BEFORE)
        & (opportunity.status == OpportunityStatus.PUBLISHED.value)
        & (opportunity.remind_day_before.eq(True) | opportunity.remind_two_hours.eq(True))
    )
    due = []
    for row in rows:
        kind = reminder_due(
            row["starts_at"],
            now,
            day_before=row["remind_day_before"],
            two_hours=row["remind_two_hours"],
        )
        if kind is not None:
            due.append((kind, row))
    sent = await _queued_keys([f"{kind}:{row['id']}" for kind, row in due])
    new_ids: list[int] = []
    for kind, row in due:
        if f"{kind}:{row['id']}" in sent:
            continue
        today = local(row["starts_at"]).date() == local(now).date()
        async with write_transaction():
            queued = await queue_signup_email(
                kind, row["id"], row, row, now, ics_status=row["status"], extra={"today": today}
            )
        if queued.created:
            new_ids.append(queued.id)
    await notify_queued(new_ids)
    return len(new_ids)


async def _queued_keys(keys: list[str]) -> set[str]:
    """The reminders queued by an earlier run (one query), so a run writes only new ones."""
    if not keys:
        return set()
    rows = await OutboxEmail.select(OutboxEmail.dedupe_key).where(
        OutboxEmail.dedupe_key.is_in(keys)
    )
    return {row["dedupe_key"] for row in rows}
