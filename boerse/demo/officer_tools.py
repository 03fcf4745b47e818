"""The demo town's organisations with contact data and logos, one retired skill that a
resident's profile still shows, one copied offer, and offers with accessibility features
and companions allowed (issue 12: organisations, taxonomies, copying offers)."""

from __future__ import annotations

import datetime as dt
import struct
import zlib

from boerse.accounts.tables import Organisation, User
from boerse.audit.context import Actor, acting_as
from boerse.demo.audit import TOWN_HALL
from boerse.demo.town import ORGANISATIONS
from boerse.lib.db import write_transaction
from boerse.opportunities import services as opportunities
from boerse.opportunities.tables import Mode, Opportunity, OpportunityStatus
from boerse.profiles import taxonomy_admin
from boerse.profiles.tables import Profile, ProfileSkill, Skill

# Logo colours per organisation key (RGB); organisations not listed keep no logo, so the
# pages show both cases.
LOGO_COLOURS = {
    "umwelt": (46, 125, 50),
    "jugend": (21, 101, 192),
    "senioren": (142, 36, 170),
}
FEATURES_BY_MODE = {
    Mode.CO_DELIVER.value: ["wheelchair", "seating", "public_transport"],
    Mode.CO_DESIGN.value: ["wheelchair", "hearing_loop", "simple_language", "quiet_space"],
    Mode.CO_ASSESS.value: ["public_transport", "guide_dog"],
    Mode.CO_COMMISSION.value: ["wheelchair", "hearing_loop", "sign_language"],
}


def square_png(rgb: tuple[int, int, int], size: int = 64) -> bytes:
    """A square PNG of one colour with a light frame, written with zlib and struct only."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    frame = (255, 255, 255)
    rows = bytearray()
    for y in range(size):
        rows.append(0)  # filter: none
        for x in range(size):
            edge = min(x, y, size - 1 - x, size - 1 - y) < size // 8
            rows.extend(frame if edge else rgb)
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + chunk(b"IEND", b"")
    )


async def demo_officer_tools(now: dt.datetime, resident_email: str, officer_email: str) -> None:
    await _organisations(now)
    await _offers()
    await _retired_skill(resident_email)
    await _copied_offer(officer_email)


async def _organisations(now: dt.datetime) -> None:
    async with write_transaction():
        for org in ORGANISATIONS:
            officer = org.officers[0] if org.officers else None
            columns = {
                Organisation.contact_name: officer.name if officer else "",
                Organisation.contact_email: officer.email if officer else "",
                Organisation.contact_phone: officer.phone if officer else "",
                Organisation.updated_at: now,
            }
            if org.key in LOGO_COLOURS:
                columns[Organisation.logo] = square_png(LOGO_COLOURS[org.key])
                columns[Organisation.logo_type] = "image/png"
            rows = await Organisation.select(Organisation.id).where(
                Organisation.website == org.website
            )
            for row in rows:
                await Organisation.update(columns).where(Organisation.id == row["id"])


async def _offers() -> None:
    """Every published offer gets the features its kind of work typically has; offers done
    together on the spot allow bringing up to three people."""
    rows = await Opportunity.select(Opportunity.id, Opportunity.mode).where(
        Opportunity.status == OpportunityStatus.PUBLISHED.value
    )
    async with write_transaction():
        for index, row in enumerate(rows):
            features = FEATURES_BY_MODE.get(row["mode"], [])
            columns = {
                # Every third offer says nothing, as in a real town.
                Opportunity.accessibility_features: [] if index % 3 == 2 else features,
                Opportunity.max_companions: 3 if row["mode"] == Mode.CO_DELIVER.value else 0,
                Opportunity.remind_two_hours: index % 2 == 0,
            }
            await Opportunity.update(columns).where(Opportunity.id == row["id"])


async def _retired_skill(resident_email: str) -> None:
    """The demo resident's first curated skill is retired: no form offers it any more, and
    her profile still shows it."""
    user = await User.select(User.id).where(User.email == resident_email).first()
    if user is None:
        return
    row = (
        await ProfileSkill.select(ProfileSkill.skill)
        .where((ProfileSkill.profile.user == user["id"]) & ProfileSkill.skill.curated.eq(True))
        .order_by(ProfileSkill.skill)
        .first()
    )
    if row is None:
        profile = await Profile.select(Profile.id).where(Profile.user == user["id"]).first()
        skill = await Skill.select(Skill.id).where(Skill.slug == "photography").first()
        if profile is None or skill is None:
            return
        async with write_transaction():
            await ProfileSkill.insert(ProfileSkill(profile=profile["id"], skill=skill["id"]))
        row = {"skill": skill["id"]}
    await taxonomy_admin.set_retired("skills", row["skill"], retired=True)


async def _copied_offer(officer_email: str) -> None:
    """The officer copied one of her offers: a draft "Kopie von …" waiting for dates."""
    officer = (
        await User.select(User.id, User.display_name, User.role, User.organisation)
        .where(User.email == officer_email)
        .first()
    )
    if officer is None:
        return
    source = (
        await Opportunity.select(Opportunity.id, Opportunity.title)
        .where(
            (Opportunity.organisation == officer["organisation"])
            & (Opportunity.status == OpportunityStatus.PUBLISHED.value)
        )
        .order_by(Opportunity.id)
        .first()
    )
    if source is None:
        return
    actor = Actor(
        user_id=officer["id"],
        role=officer["role"],
        label=officer["display_name"],
        network=TOWN_HALL,
    )
    with acting_as(actor):
        await opportunities.duplicate(source["id"], officer["id"], f"Kopie von {source['title']}")
