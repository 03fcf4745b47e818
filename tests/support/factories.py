"""Rows with only the fields a test cares about; everything else gets a plain default."""

from __future__ import annotations

import datetime as dt
import itertools
import secrets
from typing import Any

from boerse.accounts.auth import SESSION_COOKIE
from boerse.accounts.sessions import start_session
from boerse.accounts.tables import Organisation, Role, User
from boerse.lib.db import utcnow
from boerse.lib.security import hash_password
from boerse.opportunities.next_dates import refresh_next_starts
from boerse.opportunities.tables import (
    Mode,
    Opportunity,
    OpportunitySession,
    OpportunityStatus,
)
from boerse.profiles.tables import FieldOfAction, Profile

PASSWORD = "korrekt-Pferd-Batterie-9"
_PASSWORD_HASH = hash_password(PASSWORD)
_counter = itertools.count(1)


async def make_organisation(name: str | None = None, **fields: Any) -> Organisation:
    organisation = Organisation(name=name or f"Amt {next(_counter)}", **fields)
    await organisation.save()
    return organisation


async def make_user(
    email: str | None = None,
    role: Role = Role.RESIDENT,
    organisation: Organisation | None = None,
    verified: bool = True,
    **fields: Any,
) -> User:
    user = User(
        email=email or f"person{next(_counter)}@example.org",
        password_hash=_PASSWORD_HASH,
        role=role.value,
        organisation=organisation.id if organisation else None,
        email_verified_at=utcnow() if verified else None,
        calendar_token=secrets.token_urlsafe(24),
        display_name=fields.pop("display_name", "Testperson"),
        **fields,
    )
    await user.save()
    return user


async def make_officer(organisation: Organisation | None = None, **fields: Any) -> User:
    return await make_user(
        role=Role.OFFICER, organisation=organisation or await make_organisation(), **fields
    )


async def make_profile(user: User, postcode: str = "04109", **fields: Any) -> Profile:
    from boerse.lib.geo import place_of_postcode

    place = place_of_postcode(postcode)
    profile = Profile(
        user=user.id,
        postcode=postcode,
        locality=place.locality if place else "",
        latitude=round(place.latitude, 2) if place else None,
        longitude=round(place.longitude, 2) if place else None,
        **fields,
    )
    await profile.save()
    return profile


async def field_id(slug: str = "environment") -> int:
    row = await FieldOfAction.select(FieldOfAction.id).where(FieldOfAction.slug == slug).first()
    return row["id"]


async def make_opportunity(
    organisation: Organisation,
    status: OpportunityStatus = OpportunityStatus.PUBLISHED,
    mode: Mode = Mode.CO_DELIVER,
    field: str = "environment",
    postcode: str = "04109",
    **fields: Any,
) -> Opportunity:
    from boerse.lib.geo import place_of_postcode

    place = place_of_postcode(postcode)
    opportunity = Opportunity(
        organisation=organisation.id,
        title=fields.pop("title", f"Baumpflanzaktion {next(_counter)}"),
        description=fields.pop("description", "Wir pflanzen gemeinsam Bäume im Stadtpark."),
        mode=mode.value,
        field=await field_id(field),
        status=status.value,
        postcode=postcode,
        locality=place.locality if place else "",
        latitude=place.latitude if place else None,
        longitude=place.longitude if place else None,
        published_at=utcnow() if status == OpportunityStatus.PUBLISHED else None,
        **fields,
    )
    await opportunity.save()
    return opportunity


async def make_session(
    opportunity: Opportunity,
    starts_in: dt.timedelta = dt.timedelta(days=7),
    duration: dt.timedelta = dt.timedelta(hours=2),
    capacity: int = 10,
    **fields: Any,
) -> OpportunitySession:
    starts_at = utcnow() + starts_in
    session = OpportunitySession(
        opportunity=opportunity.id,
        starts_at=starts_at,
        ends_at=starts_at + duration,
        capacity=capacity,
        **fields,
    )
    await session.save()
    await refresh_next_starts([opportunity.id])
    return session


async def sign_in(client: Any, user: User) -> None:
    """Log the client in without going through the form (the form has its own tests)."""
    client.cookies.set(SESSION_COOKIE, await start_session(user.id))
