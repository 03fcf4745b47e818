"""The reference recommender: every open offer loaded from the source tables and every pair
scored with `scoring.score`, no index. It is the specification the indexed services must
agree with (tests) and the naive baseline they are measured against (benchmarks)."""

from __future__ import annotations

import datetime as dt

from boerse.lib import geo
from boerse.lib.db import utcnow
from boerse.matching import index
from boerse.matching.scoring import Weights, score
from boerse.opportunities.tables import SignUp, SignUpStatus


async def naive_recommendations(
    user_id: int, limit: int | None = None, now: dt.datetime | None = None
) -> list[int]:
    """Opportunity ids, best first (ties by id), as `recommendations_for` must rank them."""
    now = now or utcnow()
    weights = Weights.from_settings()
    ((profile, skills, interests),) = await index.profile_sources([user_id])
    resident = index.resident_facts(profile, skills, interests, now.year)
    home = (resident.latitude, resident.longitude)
    signed = {
        row["opportunity"]
        for row in await SignUp.select(SignUp.session.opportunity.as_alias("opportunity")).where(
            (SignUp.user == user_id) & (SignUp.status != SignUpStatus.CANCELLED.value)
        )
    }
    scored = []
    for row, offer_skills, sessions in await index.opportunity_sources(published_only=True):
        if row["id"] in signed:
            continue
        facts = index.opportunity_facts(row, row["field_slug"], offer_skills, sessions, now)
        distance = None
        if not facts.is_online:
            distance = geo.distance_km(home, (facts.latitude, facts.longitude))
        match = score(resident, facts, weights, distance)
        if match is not None:
            scored.append((-match.score, row["id"]))
    scored.sort()
    return [item[1] for item in scored[:limit]]
