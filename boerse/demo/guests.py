"""The demo town's group and guest sign-ups: on an offer that allows companions (set by
`officer_tools`), a resident comes with two more people and a guest without account with
one more, on the first date ahead with room for both. The guest's personal page
(`/anmeldung/<token>`) works on first start; the officer's participant list shows both.

Written as rows (no mail is queued); runs after the offers, sign-ups and offer features."""

from __future__ import annotations

import datetime as dt

from boerse.accounts.tables import Role, User
from boerse.guests.services import find_or_create_guest
from boerse.lib.db import write_transaction
from boerse.opportunities.signup_links import ensure_link
from boerse.opportunities.signups import places_of, take_places
from boerse.opportunities.tables import (
    OpportunitySession,
    OpportunityStatus,
    SignUp,
    SignUpStatus,
)

GUEST_NAME = "Greta Gast"
GUEST_EMAIL = "greta.gast@post.example"
GROUP_COMPANIONS = 2
GUEST_COMPANIONS = 1


async def demo_guests(now: dt.datetime, officer_email: str, skip_email: str) -> None:
    officer = await User.select(User.organisation).where(User.email == officer_email).first()
    organisation = officer["organisation"] if officer else None
    needed = places_of(GROUP_COMPANIONS) + places_of(GUEST_COMPANIONS)
    dates = (
        await OpportunitySession.select(
            OpportunitySession.id,
            OpportunitySession.capacity,
            OpportunitySession.seats_taken,
            OpportunitySession.opportunity.organisation.as_alias("organisation"),
        )
        .where(
            (OpportunitySession.starts_at > now)
            & (OpportunitySession.opportunity.status == OpportunityStatus.PUBLISHED.value)
            & (OpportunitySession.opportunity.max_companions >= GROUP_COMPANIONS)
        )
        .order_by(OpportunitySession.starts_at)
    )
    roomy = [row for row in dates if row["capacity"] - row["seats_taken"] >= needed]
    # The tour officer's own offer if there is one, so her participant list shows them.
    own = [row for row in roomy if row["organisation"] == organisation]
    chosen = (own or roomy or [None])[0]
    if chosen is None:
        return
    session_id = chosen["id"]
    taken = await SignUp.select(SignUp.user).where(SignUp.session == session_id)
    busy = {row["user"] for row in taken}
    resident = (
        await User.select(User.id)
        .where(
            (User.role == Role.RESIDENT.value)
            & (User.email != skip_email)
            & User.email_verified_at.is_not_null()
        )
        .order_by(User.id)
        .limit(len(busy) + 1)
    )
    leader = next((row["id"] for row in resident if row["id"] not in busy), None)
    async with write_transaction():
        if leader is not None:
            await _signed_up(session_id, leader, GROUP_COMPANIONS, now)
        guest_id = await find_or_create_guest(GUEST_EMAIL, GUEST_NAME, "de")
        await User.update({User.email_verified_at: now, User.privacy_consent_at: now}).where(
            User.id == guest_id
        )
        await _signed_up(session_id, guest_id, GUEST_COMPANIONS, now)


async def _signed_up(session_id: int, user_id: int, companions: int, now: dt.datetime) -> None:
    if not await take_places(session_id, places_of(companions)):
        return
    row = SignUp(
        session=session_id,
        user=user_id,
        status=SignUpStatus.REGISTERED.value,
        companions=companions,
        created_at=now,
        updated_at=now,
    )
    await row.save()
    await ensure_link(row.id)


async def demo_guest_token() -> str | None:
    """The token of the demo guest's personal page (for the tour and the README)."""
    from boerse.opportunities.signup_links import link_token

    row = (
        await SignUp.select(SignUp.id)
        .where(SignUp.user.email == GUEST_EMAIL)
        .order_by(SignUp.id)
        .first()
    )
    return link_token(row["id"]) if row else None
