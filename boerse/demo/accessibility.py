"""A demo resident who uses a wheelchair and needs to sit while helping, with the switch
"only offers that meet all my needs" on: her recommendations and the public list show
only offers whose accessibility features include both (issue 12). The offers' features
come from `officer_tools`; this runs after it and before the matching index is rebuilt.
She is one of the generated residents, so the town's numbers stay as they are."""

from __future__ import annotations

import datetime as dt

from boerse.accounts.tables import User
from boerse.lib.db import write_transaction
from boerse.profiles.tables import Profile

ACCESSIBLE_LOGIN = "irina.wolkow@post.example"
NEEDS = ["wheelchair", "seating"]


async def demo_accessibility(now: dt.datetime) -> None:
    user = await User.select(User.id).where(User.email == ACCESSIBLE_LOGIN).first()
    if user is None:
        return
    async with write_transaction():
        await Profile.update(
            {
                Profile.accessibility_needs: NEEDS,
                Profile.accessible_only: True,
                Profile.updated_at: now - dt.timedelta(days=3),
            }
        ).where(Profile.user == user["id"])
