"""The demo town's recurring dates: "Repair-Café jeden Samstag", a weekly series of the
environmental association with one Saturday left out and one date moved to the Friday
before, so officers see series dates, the "dieser und alle folgenden" choice and a moved
date on first start. A few residents hold places (written as rows, so no mail is queued).
Runs after the offers are loaded; the index and the full-text search are rebuilt later."""

from __future__ import annotations

import datetime as dt

from boerse.accounts.tables import Role, User
from boerse.lib.db import write_transaction
from boerse.lib.formatting import TOWN_TIMEZONE
from boerse.opportunities.next_dates import refresh_next_starts
from boerse.opportunities.series import Rule, expand, local_moment
from boerse.opportunities.tables import (
    Opportunity,
    OpportunitySeries,
    OpportunitySession,
    OpportunityStatus,
    SeriesFrequency,
    SignUp,
    SignUpStatus,
)

SOURCE_OFFER = "Repair-Café im Bürgerhaus"
SERIES_OFFER = "Repair-Café jeden Samstag"
SERIES_DATES = 8
START = dt.time(10, 0)
MINUTES = 180
CAPACITY = 8
NOTE = "Werkstatt im Hof"
SKIPPED_WEEK = 3
"""The fourth Saturday is left out (the Bürgerhaus hosts the Stadtteilfest)."""
MOVED_WEEK = 1
"""The second date moves to the Friday afternoon before, in the hall."""
MOVED_NOTE = "ausnahmsweise Freitag im Saal"
PARTICIPANTS = 3


def first_saturday(now: dt.datetime) -> dt.date:
    day = (now.astimezone(TOWN_TIMEZONE) + dt.timedelta(days=2)).date()
    return day + dt.timedelta(days=(5 - day.weekday()) % 7)


async def demo_series(now: dt.datetime, skip_email: str = "") -> None:
    """Writes the offer, its series and dates; nothing when the source offer is missing."""
    source = await Opportunity.select().where(Opportunity.title == SOURCE_OFFER).first()
    if source is None:
        return
    first = first_saturday(now)
    skipped = first + dt.timedelta(weeks=SKIPPED_WEEK)
    rule = Rule(
        SeriesFrequency.WEEKLY.value,
        first,
        START,
        MINUTES,
        count=SERIES_DATES,
        exceptions=frozenset({skipped}),
    )
    moments = expand(rule)
    people = (
        await User.select(User.id)
        .where((User.role == Role.RESIDENT.value) & (User.email != skip_email))
        .order_by(User.id)
        .limit(PARTICIPANTS)
    )
    keep = {"organisation", "created_by", "mode", "field", "is_online", "address", "postcode"}
    keep |= {"locality", "latitude", "longitude", "languages", "accessibility"}
    keep |= {"contact_name", "contact_email", "contact_phone"}
    async with write_transaction():
        inserted = await Opportunity.insert(
            Opportunity(
                **{key: source[key] for key in keep},
                title=SERIES_OFFER,
                summary="Jeden Samstagvormittag Fahrräder, Lampen und Kleidung gemeinsam "
                "reparieren – kommen Sie, wann Sie können.",
                description="Neben dem monatlichen Repair-Café öffnet die Werkstatt im Hof "
                "jeden Samstag. Wir suchen Menschen, die schrauben, löten, nähen oder "
                "Wartende mit Kaffee empfangen. Jeder Samstag ist ein eigener Termin: "
                "melden Sie sich für die Samstage an, die Ihnen passen.",
                outcome_goal="Weniger Abfall; Nachbarinnen und Nachbarn lernen, selbst zu "
                "reparieren.",
                status=OpportunityStatus.PUBLISHED.value,
                published_at=now - dt.timedelta(days=5),
                created_at=now - dt.timedelta(days=6),
            )
        ).returning(Opportunity.id)
        opportunity_id = inserted[0]["id"]
        series = await OpportunitySeries.insert(
            OpportunitySeries(
                opportunity=opportunity_id,
                frequency=rule.frequency,
                first_date=first,
                count=SERIES_DATES,
                start_time=START.strftime("%H:%M"),
                duration_minutes=MINUTES,
                capacity=CAPACITY,
                location_note=NOTE,
                exceptions=[skipped.isoformat()],
            )
        ).returning(OpportunitySeries.id)
        rows = []
        for index, (starts_at, ends_at) in enumerate(moments):
            note = NOTE
            if index == MOVED_WEEK:
                friday = starts_at.astimezone(TOWN_TIMEZONE).date() - dt.timedelta(days=1)
                starts_at = local_moment(friday, dt.time(15, 0))
                ends_at = starts_at + dt.timedelta(minutes=MINUTES)
                note = MOVED_NOTE
            taken = len(people) if index in (0, MOVED_WEEK) else 0
            rows.append(
                OpportunitySession(
                    opportunity=opportunity_id,
                    series=series[0]["id"],
                    starts_at=starts_at,
                    ends_at=ends_at,
                    capacity=CAPACITY,
                    seats_taken=taken,
                    location_note=note,
                )
            )
        sessions = await OpportunitySession.insert(*rows).returning(OpportunitySession.id)
        signups = [
            SignUp(
                session=sessions[index]["id"],
                user=person["id"],
                status=SignUpStatus.REGISTERED.value,
                created_at=now - dt.timedelta(days=2),
                updated_at=now - dt.timedelta(days=2),
                signed_up_at=now - dt.timedelta(days=2),
            )
            for index in (0, MOVED_WEEK)
            for person in people
        ]
        if signups:
            await SignUp.insert(*signups)
        await refresh_next_starts([opportunity_id])
