"""The demo's organisations, retired skill, copied offer and accessible offers, written on
a small town of their own (the whole demo has its own test)."""

from __future__ import annotations

import datetime as dt

from boerse.accounts.tables import Organisation
from boerse.demo.officer_tools import demo_officer_tools, square_png
from boerse.demo.town import ORGANISATIONS
from boerse.lib.db import utcnow
from boerse.opportunities.tables import Mode, Opportunity, OpportunityStatus
from boerse.organisations.logos import sniff_image_type
from boerse.profiles.tables import ProfileSkill, Skill
from tests.profiles.helpers import skill_ids
from tests.support.factories import (
    make_officer,
    make_opportunity,
    make_organisation,
    make_profile,
    make_user,
)


def test_the_generated_logo_is_a_png() -> None:
    png = square_png((10, 20, 30), size=16)
    assert sniff_image_type(png) == "image/png"
    assert png[12:16] == b"IHDR" and png.endswith(b"IEND\xaeB`\x82")


async def test_the_demo_shows_logos_a_retired_skill_a_copy_and_accessible_offers(client) -> None:
    town = ORGANISATIONS[0]
    org = await make_organisation(town.name, website=town.website)
    officer = await make_officer(org, email="officer@demo.example")
    source = await make_opportunity(org, title="Bäume gießen", mode=Mode.CO_DELIVER)
    resident = await make_user(email="anna@demo.example")
    profile = await make_profile(resident)
    gardening = (await skill_ids("gardening"))[0]
    await ProfileSkill(profile=profile.id, skill=gardening).save()

    await demo_officer_tools(utcnow() - dt.timedelta(minutes=1), resident.email, officer.email)

    row = await Organisation.objects().where(Organisation.id == org.id).first()
    assert row.logo_type == "image/png" and sniff_image_type(bytes(row.logo)) == "image/png"
    assert row.contact_name == town.officers[0].name
    skill = await Skill.objects().where(Skill.id == gardening).first()
    assert skill.retired_at is not None
    offer = await Opportunity.objects().where(Opportunity.id == source.id).first()
    assert offer.max_companions == 3 and offer.accessibility_features
    copy = await Opportunity.objects().where(Opportunity.title == "Kopie von Bäume gießen").first()
    assert copy.status == OpportunityStatus.DRAFT.value

    page = await client.get(f"/organisationen/{org.id}")
    assert f'alt="Logo von {town.name}"' in page.text
