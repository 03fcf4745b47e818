"""A date with people holding places, made without the sign-up flow (its mails are tested
elsewhere): check-in starts where sign-up ends."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from boerse.accounts.tables import User
from boerse.opportunities.signup_links import ensure_link
from boerse.opportunities.tables import OpportunitySession, SignUp
from tests.support.factories import (
    make_officer,
    make_opportunity,
    make_organisation,
    make_session,
    make_user,
)


@dataclass
class Setting:
    officer: User
    session: OpportunitySession
    people: list[User]
    signup_ids: list[int]


async def add_signup(session_id: int, user_id: int, status: str = "registered") -> int:
    row = SignUp(
        {
            SignUp.session: session_id,
            SignUp.user: user_id,
            SignUp.status: status,
        }
    )
    await row.save()
    if status in ("registered", "confirmed"):
        await OpportunitySession.update(
            {OpportunitySession.seats_taken: OpportunitySession.seats_taken + 1}
        ).where(OpportunitySession.id == session_id)
    return row.id


async def setting(
    starts_in: dt.timedelta = dt.timedelta(minutes=30),
    duration: dt.timedelta = dt.timedelta(hours=2),
    capacity: int = 10,
    tag: str = "",
) -> Setting:
    """An officer's date starting in `starts_in` with Anna and Ben holding places and Cleo
    waiting."""
    organisation = await make_organisation()
    officer = await make_officer(organisation)
    opportunity = await make_opportunity(organisation, title="Lesepaten")
    session = await make_session(
        opportunity, starts_in=starts_in, duration=duration, capacity=capacity
    )
    people = [
        await make_user(email=f"anna{tag}@example.org", display_name="Anna Amsel"),
        await make_user(email=f"ben{tag}@example.org", display_name="Ben Buch"),
        await make_user(email=f"cleo{tag}@example.org", display_name="Cleo Christ"),
    ]
    ids = [
        await add_signup(session.id, people[0].id),
        await add_signup(session.id, people[1].id, "confirmed"),
        await add_signup(session.id, people[2].id, "waitlisted"),
    ]
    return Setting(officer, session, people, ids)


async def personal_token(signup_id: int) -> str:
    """The personal link's token of a sign-up, with its hash stored as a mail would."""
    return await ensure_link(signup_id)


async def signup_row(signup_id: int) -> dict:
    return (
        await SignUp.select(
            SignUp.status,
            SignUp.attendance,
            SignUp.hours,
            SignUp.checked_in_at,
            SignUp.checkin_method,
        )
        .where(SignUp.id == signup_id)
        .first()
    )
