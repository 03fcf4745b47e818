"""The demo's resident with accessibility needs sees only offers that meet them all."""

from __future__ import annotations

from boerse.accounts.tables import User
from boerse.demo.accessibility import ACCESSIBLE_LOGIN, NEEDS
from boerse.demo.loader import load_demo
from boerse.matching import index
from boerse.matching.services import recommendations_for
from boerse.opportunities.tables import Opportunity
from boerse.profiles.tables import Profile


async def test_the_accessible_resident_is_recommended_only_fitting_offers() -> None:
    assert await load_demo() is True
    user = await User.select(User.id).where(User.email == ACCESSIBLE_LOGIN).first()

    filtered = await recommendations_for(user["id"], limit=50)
    await Profile.update({Profile.accessible_only: False}).where(Profile.user == user["id"])
    await index.refresh_resident(user["id"])
    unfiltered = await recommendations_for(user["id"], limit=50)

    ids = [r.opportunity["id"] for r in filtered]
    assert ids
    features = await Opportunity.select(Opportunity.id, Opportunity.accessibility_features).where(
        Opportunity.id.is_in(ids)
    )
    assert all(set(NEEDS) <= set(row["accessibility_features"]) for row in features)
    assert len(unfiltered) > len(filtered)
