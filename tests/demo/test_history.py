"""The demo's history spreads over the last eight months, so monthly trends on the
dashboards show a curve; every answer still carries the date of the session it is about."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from boerse.demo.loader import all_offers, load_demo
from boerse.demo.schedule import DEMO_RESIDENT_PLAN, HISTORY_STEPS, RECENT_DAYS, history_steps
from boerse.lib.db import utcnow
from boerse.opportunities.tables import OpportunitySession, SignUp
from boerse.questionnaires.tables import Response
from boerse.settings import get_settings


def _month(day: dt.datetime) -> tuple[int, int]:
    return (day.year, day.month)


def test_past_dates_move_back_older_ones_further_the_demo_logins_stay() -> None:
    moved = with_past = 0
    for offer in all_offers():
        with_past += any(slot.day_offset < 0 for slot in offer.slots)
        steps = history_steps(offer)
        assert all(0 <= n <= HISTORY_STEPS for n in steps)
        for slot, n in zip(offer.slots, steps, strict=True):
            if slot.day_offset >= 0 or slot.day_offset > -RECENT_DAYS:
                assert n == 0, offer.title  # future dates and those of the last week
        past = sorted((slot.day_offset, n) for slot, n in zip(offer.slots, steps, strict=True))
        assert [n for _offset, n in past] == sorted((n for _o, n in past), reverse=True)
        moved += any(steps)
        if any(offer.title.startswith(prefix) for prefix, _slot in DEMO_RESIDENT_PLAN):
            assert not any(steps), offer.title
    assert moved >= with_past / 2


async def test_answers_and_sign_ups_spread_over_months_matching_their_sessions() -> None:
    assert await load_demo()
    now = utcnow()
    responses = await Response.select(Response.opportunity, Response.submitted_at).where(
        Response.opportunity.is_not_null(), Response.completed.eq(True)
    )
    per_month = Counter(_month(row["submitted_at"]) for row in responses)
    assert len(per_month) >= 6, per_month
    assert len(set(per_month.values())) > 1  # a curve, not a flat line
    oldest = min(row["submitted_at"] for row in responses)
    assert now - oldest > dt.timedelta(days=150)

    settings = get_settings()
    window = dt.timedelta(minutes=settings.survey_delay_minutes, days=settings.survey_valid_days)
    ends = defaultdict(list)
    for row in await OpportunitySession.select(
        OpportunitySession.opportunity, OpportunitySession.ends_at
    ):
        ends[row["opportunity"]].append(row["ends_at"])
    for row in responses:
        day = row["submitted_at"]  # stored as the day (midnight UTC) of answering
        assert any(
            end - dt.timedelta(days=1) <= day <= end + window for end in ends[row["opportunity"]]
        ), row

    sign_ups = Counter(_month(row["created_at"]) for row in await SignUp.select(SignUp.created_at))
    assert len(sign_ups) >= 6, sign_ups
