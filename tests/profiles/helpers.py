"""Form data and rows the profile tests share."""

from __future__ import annotations

from typing import Any

from boerse.lib.db import utcnow
from boerse.opportunities.tables import OpportunitySession, SignUp, SignUpStatus
from boerse.profiles.tables import FieldOfAction, Skill


async def skill_ids(*slugs: str) -> list[int]:
    rows = await Skill.select(Skill.id, Skill.slug).where(Skill.slug.is_in(list(slugs)))
    by_slug = {row["slug"]: row["id"] for row in rows}
    return [by_slug[slug] for slug in slugs]


async def field_ids(*slugs: str) -> list[int]:
    rows = await FieldOfAction.select(FieldOfAction.id, FieldOfAction.slug).where(
        FieldOfAction.slug.is_in(list(slugs))
    )
    by_slug = {row["slug"]: row["id"] for row in rows}
    return [by_slug[slug] for slug in slugs]


async def valid_form(**overrides: Any) -> dict[str, Any]:
    """What a resident in Leipzig typing a complete profile would post."""
    data: dict[str, Any] = {
        "display_name": "Anna",
        "postcode": "04109",
        "address": "",
        "travel_radius_km": "15",
        "hours_per_month": "6",
        "skills": [str(i) for i in await skill_ids("gardening", "cooking")],
        "own_skills": "Imkern",
        "interests": [str(i) for i in await field_ids("environment", "elderly")],
        "time_windows": ["sat-morning", "wed-evening"],
        "languages": ["de", "tr"],
        "birth_year": "1980",
        "contact_ok": "on",
    }
    data.update(overrides)
    return data


async def add_sign_up(
    session: OpportunitySession, user_id: int, status: SignUpStatus = SignUpStatus.REGISTERED
) -> SignUp:
    """A sign-up row plus the counter the sign-up service would have moved."""
    sign_up = SignUp(
        session=session.id,
        user=user_id,
        status=status.value,
        waitlisted_at=utcnow() if status == SignUpStatus.WAITLISTED else None,
    )
    await sign_up.save()
    if status in (SignUpStatus.REGISTERED, SignUpStatus.CONFIRMED):
        await OpportunitySession.update(
            {OpportunitySession.seats_taken: OpportunitySession.seats_taken + 1}
        ).where(OpportunitySession.id == session.id)
    return sign_up


async def seats_taken(session: OpportunitySession) -> int:
    row = (
        await OpportunitySession.select(OpportunitySession.seats_taken)
        .where(OpportunitySession.id == session.id)
        .first()
    )
    return row["seats_taken"]
