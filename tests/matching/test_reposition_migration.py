"""The data migration that moves stored positions off the old city-centre points."""

from __future__ import annotations

import importlib

from boerse.lib.geo import place_of_postcode
from boerse.opportunities.tables import Opportunity
from boerse.profiles.tables import Profile
from tests.support.factories import make_opportunity, make_organisation, make_profile, make_user

migration = importlib.import_module(
    "boerse.matching.piccolo_migrations.matching_2026_11_30t10_30_00_000000"
)
OLD_LEIPZIG_POINT = {"latitude": 51.34, "longitude": 12.37}


async def test_positions_stored_from_the_old_gazetteer_are_recomputed() -> None:
    profile = await make_profile(await make_user(), postcode="04315")
    offer = await make_opportunity(await make_organisation(), postcode="04315")
    await Profile.update(OLD_LEIPZIG_POINT).where(Profile.id == profile.id)
    await Opportunity.update(OLD_LEIPZIG_POINT).where(Opportunity.id == offer.id)

    manager = await migration.forwards()
    await manager.run()

    east = place_of_postcode("04315").coarse()
    expected = {"latitude": east.latitude, "longitude": east.longitude}
    assert expected != OLD_LEIPZIG_POINT
    assert await Profile.select(Profile.latitude, Profile.longitude).first() == expected
    assert await Opportunity.select(Opportunity.latitude, Opportunity.longitude).first() == expected
