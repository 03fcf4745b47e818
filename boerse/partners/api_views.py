"""The partner API's records built from the service rows (opportunities' own services for
offers and dates, ours for the sign-up counts): a fixed number of queries per answer."""

from __future__ import annotations

from typing import Any

from boerse.goals.services import goals_of_opportunity
from boerse.lib.urls import site_url
from boerse.opportunities import services as opportunity_services
from boerse.partners import services
from boerse.partners.api_schemas import (
    KeyInfo,
    PartnerDate,
    PartnerOpportunity,
    PartnerOpportunityList,
    PartnerOpportunitySummary,
    SignUpCounts,
)
from boerse.partners.rules import Partner


async def key_info(partner: Partner) -> KeyInfo:
    name = (
        await services.organisation_name(partner.organisation_id)
        if partner.organisation_id is not None
        else None
    )
    return KeyInfo(
        partner_name=partner.partner_name,
        prefix=partner.prefix,
        scope=partner.scope,
        organisation_id=partner.organisation_id,
        organisation_name=name,
    )


def _detail_url(opportunity_id: int) -> str:
    return site_url("opportunities:detail", opportunity_id=opportunity_id)


async def opportunity_list(organisation_id: int) -> PartnerOpportunityList:
    rows = await opportunity_services.organisation_opportunities(organisation_id)
    return PartnerOpportunityList(
        items=[
            PartnerOpportunitySummary(
                id=row["id"],
                status=row["status"],
                title=row["title"],
                url=_detail_url(row["id"]),
                upcoming_dates=row["upcoming_count"],
                next_starts_at=row["next_session"]["starts_at"] if row["next_session"] else None,
            )
            for row in rows
        ]
    )


def _date(row: dict[str, Any], counts: services.SignUpCounts) -> PartnerDate:
    return PartnerDate(
        id=row["id"],
        starts_at=row["starts_at"],
        ends_at=row["ends_at"],
        capacity=row["capacity"],
        free_places=row["free_places"],
        location_note=row["location_note"],
        sign_ups=SignUpCounts(
            signed_up=counts.signed_up,
            waitlisted=counts.waitlisted,
            attended=counts.attended,
            cancelled=counts.cancelled,
        ),
    )


async def dates(opportunity_id: int) -> list[PartnerDate]:
    rows = await opportunity_services.sessions_of(opportunity_id)
    counts = await services.signup_counts([row["id"] for row in rows])
    return [_date(row, counts[row["id"]]) for row in rows]


async def date(opportunity_id: int, date_id: int) -> PartnerDate:
    row = await opportunity_services.get_session(opportunity_id, date_id)
    if row is None:
        raise LookupError(date_id)
    counts = await services.signup_counts([date_id])
    return _date(row, counts[date_id])


def _whole(value: float | None) -> int | None:
    return None if value is None else int(value)


async def opportunity(opportunity_id: int) -> PartnerOpportunity:
    row = await opportunity_services.get_opportunity(opportunity_id)
    if row is None:
        raise LookupError(opportunity_id)
    skills = row["skills"]
    return PartnerOpportunity(
        id=row["id"],
        status=row["status"],
        url=_detail_url(row["id"]),
        title=row["title"],
        summary=row["summary"],
        description=row["description"],
        mode=row["mode"],
        field=row["field_slug"],
        outcome_goal=row["outcome_goal"],
        goals=[goal_id for goal_id, _title in await goals_of_opportunity(opportunity_id)],
        is_online=row["is_online"],
        address=row["address"],
        postcode=row["postcode"],
        locality=row["locality"],
        required_skills=[s["slug"] for s in skills if s["required"]],
        desired_skills=[s["slug"] for s in skills if not s["required"]],
        languages=list(row["languages"]),
        accessibility=row["accessibility"],
        accessibility_features=list(row["accessibility_features"]),
        min_age=_whole(row["min_age"]),
        reach_km=_whole(row["reach_km"]),
        hours_per_month=_whole(row["hours_per_month"]),
        contact_name=row["contact_name"],
        contact_email=row["contact_email"],
        contact_phone=row["contact_phone"],
        max_companions=row["max_companions"],
        remind_day_before=row["remind_day_before"],
        remind_two_hours=row["remind_two_hours"],
        organisation_id=row["organisation_id"],
        created_at=row["created_at"],
        published_at=row["published_at"],
        dates=await dates(opportunity_id),
    )
