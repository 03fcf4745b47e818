"""The demo town shows a weekly series on first start: one Saturday left out, one date
moved, places taken, and the officer's dates page offers the series choices."""

from __future__ import annotations

import datetime as dt

from boerse.accounts.tables import User
from boerse.demo.loader import load_demo
from boerse.demo.series import MOVED_NOTE, SERIES_DATES, SERIES_OFFER
from boerse.lib.formatting import TOWN_TIMEZONE
from boerse.opportunities.tables import Opportunity, OpportunitySeries, OpportunitySession
from tests.support.factories import sign_in


async def test_the_demo_has_a_weekly_series_with_a_moved_date_and_an_exception(client) -> None:
    assert await load_demo()
    offer = await Opportunity.select().where(Opportunity.title == SERIES_OFFER).first()
    [rule] = await OpportunitySeries.select().where(OpportunitySeries.opportunity == offer["id"])
    dates = (
        await OpportunitySession.select()
        .where(OpportunitySession.series == rule["id"])
        .order_by(OpportunitySession.starts_at)
    )

    assert len(dates) == SERIES_DATES - len(rule["exceptions"]) == SERIES_DATES - 1
    local = [d["starts_at"].astimezone(TOWN_TIMEZONE) for d in dates]
    moved = [d for d in dates if d["location_note"] == MOVED_NOTE]
    assert len(moved) == 1
    assert sum(1 for day in local if day.weekday() == 5) == len(dates) - 1
    assert offer["next_starts_at"] == dates[0]["starts_at"]
    assert dates[0]["seats_taken"] > 0

    officer = await User.objects().get(User.organisation == offer["organisation"])
    await sign_in(client, officer)
    page = await client.get(f"/verwaltung/angebote/{offer['id']}/termine")
    assert page.status_code == 200
    assert "Diesen und alle folgenden ändern" in page.text
    assert local[0].date() > dt.datetime.now(TOWN_TIMEZONE).date()
