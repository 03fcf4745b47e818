"""Queries about single opportunities and their sessions: reading one offer with its dates,
the officers' editing and their organisation's list. The public search lives in `search`.

Pages that show many opportunities load each kind of related row (sessions, skills,
organisations) in one query for all of them, so a page costs the same number of queries
whether it shows 3 offers or 25."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from piccolo.columns.combination import Where, WhereRaw
from piccolo.query import Select

from boerse.accounts.tables import Organisation
from boerse.audit.actions import Action
from boerse.audit.services import record
from boerse.goals.services import goals_of_opportunity, replace_links
from boerse.lib import geo
from boerse.lib.db import CachedSelect, utcnow, write_transaction
from boerse.matching.index import refresh_opportunity, refresh_session
from boerse.opportunities.fulltext import index_opportunity
from boerse.opportunities.next_dates import refresh_next_start_of_session, refresh_next_starts
from boerse.opportunities.places import address_line
from boerse.opportunities.schemas import OpportunityInput, SessionInput
from boerse.opportunities.series import cancel_dates, queue_change_mails
from boerse.opportunities.signups import fill_from_waitlist, session_details
from boerse.opportunities.tables import (
    Opportunity,
    OpportunitySession,
    OpportunitySkill,
    OpportunityStatus,
    SignUp,
    SignUpStatus,
)
from boerse.outbox.services import wake_delivery
from boerse.profiles.tables import FieldOfAction, Skill
from boerse.questionnaires.assignment import copy_to_opportunity
from boerse.requirements.services import copy_requirements
from boerse.settings import get_settings

# Explicit edge: a date’s end schedules its follow-up survey run.
from boerse.surveys.services import schedule_fanout

Row = dict[str, Any]

DETAIL_COLUMNS = (
    Opportunity.id,
    Opportunity.title,
    Opportunity.summary,
    Opportunity.description,
    Opportunity.mode,
    Opportunity.outcome_goal,
    Opportunity.is_online,
    Opportunity.address,
    Opportunity.postcode,
    Opportunity.locality,
    Opportunity.latitude,
    Opportunity.longitude,
    Opportunity.languages,
    Opportunity.accessibility,
    Opportunity.min_age,
    Opportunity.reach_km,
    Opportunity.hours_per_month,
    Opportunity.contact_name,
    Opportunity.contact_email,
    Opportunity.contact_phone,
    Opportunity.status,
    Opportunity.created_at,
    Opportunity.published_at,
    Opportunity.organisation.as_alias("organisation_id"),
    Opportunity.organisation.name.as_alias("organisation_name"),
    Opportunity.organisation.website.as_alias("organisation_website"),
    Opportunity.organisation.logo_type.as_alias("organisation_logo_type"),
    Opportunity.organisation.updated_at.as_alias("organisation_updated_at"),
    Opportunity.accessibility_features,
    Opportunity.max_companions,
    Opportunity.remind_day_before,
    Opportunity.remind_two_hours,
    Opportunity.field.slug.as_alias("field_slug"),
    Opportunity.field.name.as_alias("field_name"),
)

CARD_COLUMNS = (
    Opportunity.id,
    Opportunity.title,
    Opportunity.summary,
    Opportunity.mode,
    Opportunity.is_online,
    Opportunity.locality,
    # The map beside the list places its markers from the same rows (no query of its own).
    Opportunity.latitude,
    Opportunity.longitude,
    Opportunity.status,
    Opportunity.published_at,
    Opportunity.organisation.as_alias("organisation_id"),
    Opportunity.organisation.name.as_alias("organisation_name"),
    Opportunity.field.name.as_alias("field_name"),
)

SESSION_COLUMNS = (
    OpportunitySession.id,
    OpportunitySession.opportunity,
    OpportunitySession.starts_at,
    OpportunitySession.ends_at,
    OpportunitySession.capacity,
    OpportunitySession.seats_taken,
    OpportunitySession.location_note,
    OpportunitySession.series,
)


# --- reading one opportunity -------------------------------------------------------------


# Every page of an offer reads it and its skills, and its dates; building these selects with
# their joins was 40 % of the detail page's time, so they are written once per process.
_DETAIL = CachedSelect(
    lambda: Opportunity.select(*DETAIL_COLUMNS).where(WhereRaw("opportunity.id = id__")).limit(1),
    "id__",
)
_SKILLS_OF_ONE = CachedSelect(
    lambda: (
        OpportunitySkill.select(
            OpportunitySkill.required,
            OpportunitySkill.skill.slug.as_alias("slug"),
            OpportunitySkill.skill.name.as_alias("name"),
        )
        .where(WhereRaw("opportunity_skill.opportunity = id__"))
        .order_by(OpportunitySkill.required, ascending=False)
        .order_by(OpportunitySkill.skill.name)
    ),
    "id__",
)
_SESSIONS_OF = CachedSelect(
    lambda: (
        OpportunitySession.select(*SESSION_COLUMNS)
        .where(WhereRaw("opportunity_session.opportunity = id__"))
        .order_by(OpportunitySession.starts_at)
    ),
    "id__",
)


async def get_opportunity(opportunity_id: int) -> Row | None:
    """One opportunity with its organisation, field and skills (two queries)."""
    row = await _DETAIL.first(opportunity_id)
    if row is None:
        return None
    row["skills"] = await _SKILLS_OF_ONE.rows(opportunity_id)
    row["place_line"] = address_line(row["address"], row["postcode"], row["locality"])
    return row


async def _skills_of(opportunity_ids: list[int]) -> dict[int, list[Row]]:
    """Skills per opportunity, required ones first, in one query."""
    if not opportunity_ids:
        return {}
    rows = (
        await OpportunitySkill.select(
            OpportunitySkill.opportunity,
            OpportunitySkill.required,
            OpportunitySkill.skill.slug.as_alias("slug"),
            OpportunitySkill.skill.name.as_alias("name"),
        )
        .where(OpportunitySkill.opportunity.is_in(opportunity_ids))
        .order_by(OpportunitySkill.required, ascending=False)
        .order_by(OpportunitySkill.skill.name)
    )
    grouped: dict[int, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[row.pop("opportunity")].append(row)
    return grouped


def session_view(row: Row, now: dt.datetime) -> Row:
    """What the pages and the sign-up partial need to know about a session."""
    row["free_places"] = max(row["capacity"] - row["seats_taken"], 0)
    row["is_full"] = row["free_places"] == 0
    row["is_past"] = row["starts_at"] <= now
    return row


async def sessions_of(opportunity_id: int, now: dt.datetime | None = None) -> list[Row]:
    """All sessions of one opportunity in date order, past ones included (for officers)."""
    now = now or utcnow()
    return [session_view(row, now) for row in await _SESSIONS_OF.rows(opportunity_id)]


async def get_session(opportunity_id: int, session_id: int) -> Row | None:
    row = (
        await OpportunitySession.select(*SESSION_COLUMNS)
        .where(
            OpportunitySession.id == session_id,
            OpportunitySession.opportunity == opportunity_id,
        )
        .first()
    )
    return session_view(row, utcnow()) if row else None


# --- writing ---------------------------------------------------------------------------


async def _ids_for(data: OpportunityInput) -> tuple[int, dict[str, int]]:
    """Field id and skill ids for the slugs of the form (two small queries, before writing)."""
    field = (
        await FieldOfAction.select(FieldOfAction.id)
        .where(FieldOfAction.slug == data.field_slug)
        .first()
    )
    if field is None:
        raise LookupError(f"unknown field of action {data.field_slug!r}")
    slugs = data.required_skills + data.desired_skills
    skills: dict[str, int] = {}
    if slugs:
        rows = await Skill.select(Skill.id, Skill.slug).where(Skill.slug.is_in(slugs))
        skills = {row["slug"]: row["id"] for row in rows}
    return field["id"], skills


async def _place_columns(data: OpportunityInput) -> dict[Any, Any]:
    """The offer's own address is public; coordinates come from the postcode (or geocoder)."""
    place = await geo.geocode(data.postcode, data.address) if data.postcode else None
    return {
        Opportunity.address: data.address,
        Opportunity.postcode: data.postcode,
        Opportunity.locality: place.locality if place else "",
        Opportunity.latitude: place.latitude if place else None,
        Opportunity.longitude: place.longitude if place else None,
    }


def _content_columns(data: OpportunityInput, field_id: int) -> dict[Any, Any]:
    return {
        Opportunity.title: data.title,
        Opportunity.summary: data.summary,
        Opportunity.description: data.description,
        Opportunity.mode: data.mode,
        Opportunity.field: field_id,
        Opportunity.is_online: data.is_online,
        Opportunity.languages: data.languages,
        Opportunity.accessibility: data.accessibility,
        Opportunity.min_age: data.min_age,
        Opportunity.reach_km: data.reach_km,
        Opportunity.hours_per_month: data.hours_per_month,
        Opportunity.contact_name: data.contact_name,
        Opportunity.contact_email: data.contact_email,
        Opportunity.contact_phone: data.contact_phone,
        Opportunity.max_companions: data.max_companions,
        Opportunity.accessibility_features: list(data.accessibility_features),
        Opportunity.remind_day_before: data.remind_day_before,
        Opportunity.remind_two_hours: data.remind_two_hours,
    }


def _skill_rows(opportunity_id: int, data: OpportunityInput, ids: dict[str, int]) -> list:
    return [
        OpportunitySkill(opportunity=opportunity_id, skill=ids[slug], required=required)
        for slugs, required in ((data.required_skills, True), (data.desired_skills, False))
        for slug in slugs
        if slug in ids
    ]


async def create_opportunity(data: OpportunityInput, organisation_id: int, user_id: int) -> int:
    """A new draft; lookups and geocoding happen before the one writing transaction."""
    field_id, skill_ids = await _ids_for(data)
    columns = _content_columns(data, field_id) | await _place_columns(data)
    values = {column._meta.name: value for column, value in columns.items()}
    async with write_transaction():
        inserted = await Opportunity.insert(
            Opportunity(
                organisation=organisation_id,
                created_by=user_id,
                status=OpportunityStatus.DRAFT.value,
                **values,
            )
        ).returning(Opportunity.id)
        opportunity_id = inserted[0]["id"]
        skills = _skill_rows(opportunity_id, data, skill_ids)
        if skills:
            await OpportunitySkill.insert(*skills)
        await replace_links(opportunity_id, list(data.goal_ids))
        await refresh_opportunity(opportunity_id)
        await index_opportunity(opportunity_id, data.title, data.summary, data.description)
        await record(Action.OPPORTUNITY_CREATED, opportunity_id, summary=data.title)
    return opportunity_id


async def update_opportunity(opportunity_id: int, data: OpportunityInput) -> None:
    """Replaces content, place and skills at once; the status is left as it is."""
    field_id, skill_ids = await _ids_for(data)
    columns = _content_columns(data, field_id) | await _place_columns(data)
    columns[Opportunity.updated_at] = utcnow()
    if data.organisation_id is not None:
        columns[Opportunity.organisation] = data.organisation_id
    async with write_transaction():
        await Opportunity.update(columns).where(Opportunity.id == opportunity_id)
        await OpportunitySkill.delete().where(OpportunitySkill.opportunity == opportunity_id)
        skills = _skill_rows(opportunity_id, data, skill_ids)
        if skills:
            await OpportunitySkill.insert(*skills)
        await replace_links(opportunity_id, list(data.goal_ids))
        await refresh_opportunity(opportunity_id)
        await index_opportunity(opportunity_id, data.title, data.summary, data.description)
        await record(Action.OPPORTUNITY_EDITED, opportunity_id, summary=data.title)


async def publish(opportunity_id: int, now: dt.datetime | None = None) -> bool:
    """False when there is no future session: an offer nobody can sign up for is not shown."""
    now = now or utcnow()
    async with write_transaction():
        has_future = await OpportunitySession.exists().where(
            OpportunitySession.opportunity == opportunity_id,
            OpportunitySession.starts_at > now,
        )
        if not has_future:
            return False
        row = (
            await Opportunity.select(Opportunity.published_at)
            .where(Opportunity.id == opportunity_id)
            .first()
        )
        await Opportunity.update(
            {
                Opportunity.status: OpportunityStatus.PUBLISHED.value,
                Opportunity.published_at: (row and row["published_at"]) or now,
                Opportunity.updated_at: now,
            }
        ).where(Opportunity.id == opportunity_id)
        await refresh_opportunity(opportunity_id, now)
        await record(Action.OPPORTUNITY_PUBLISHED, opportunity_id)
    return True


async def close(opportunity_id: int) -> None:
    """Closed offers leave the public list; sign-ups and results stay for the organisation."""
    async with write_transaction():
        await Opportunity.update(
            {Opportunity.status: OpportunityStatus.CLOSED.value, Opportunity.updated_at: utcnow()}
        ).where(Opportunity.id == opportunity_id)
        await refresh_opportunity(opportunity_id)
        await record(Action.OPPORTUNITY_CLOSED, opportunity_id)


# Columns a copy does not take over: its own identity, state and history.
_NOT_COPIED = frozenset(
    {"id", "status", "created_by", "created_at", "updated_at", "published_at", "next_starts_at"}
)


async def duplicate(opportunity_id: int, user_id: int, title: str) -> int:
    """A new draft with the offer's content, skills, outcome goals, requirements (a copied
    youth camp still needs the certificate of conduct) and its own questionnaire, but no
    dates and so no sign-ups, messages or answers: every column of the offer is copied
    except `_NOT_COPIED` (accessibility features, companions and reminder times too), so a
    column added later is copied as well. `title` is the copy's (the caller words "Kopie
    von …")."""
    async with write_transaction():
        source = await Opportunity.select().where(Opportunity.id == opportunity_id).first()
        if source is None:
            raise LookupError(opportunity_id)
        values = {key: value for key, value in source.items() if key not in _NOT_COPIED}
        values["title"] = title[: Opportunity.title.length]
        inserted = await Opportunity.insert(
            Opportunity(**values, created_by=user_id, status=OpportunityStatus.DRAFT.value)
        ).returning(Opportunity.id)
        copy_id = inserted[0]["id"]
        skills = await OpportunitySkill.select(
            OpportunitySkill.skill, OpportunitySkill.required
        ).where(OpportunitySkill.opportunity == opportunity_id)
        if skills:
            await OpportunitySkill.insert(
                *(
                    OpportunitySkill(
                        opportunity=copy_id, skill=row["skill"], required=row["required"]
                    )
                    for row in skills
                )
            )
        await replace_links(
            copy_id, [goal_id for goal_id, _title in await goals_of_opportunity(opportunity_id)]
        )
        await copy_requirements(opportunity_id, copy_id)
        await copy_to_opportunity(opportunity_id, copy_id)
        await refresh_opportunity(copy_id)
        await index_opportunity(copy_id, values["title"], values["summary"], values["description"])
        await record(Action.OPPORTUNITY_DUPLICATED, copy_id, summary=values["title"])
    return copy_id


async def reopen(opportunity_id: int, now: dt.datetime | None = None) -> str | None:
    """A closed offer opens again: public at once when it has a date ahead, otherwise as a
    draft to which the officer adds dates. Returns the new status; None when the offer was
    not closed (a second click, or another tab reopened it already), which changes nothing."""
    now = now or utcnow()
    async with write_transaction():
        row = (
            await Opportunity.select(Opportunity.status, Opportunity.published_at)
            .where(Opportunity.id == opportunity_id)
            .first()
        )
        if row is None or row["status"] != OpportunityStatus.CLOSED.value:
            return None
        has_future = await OpportunitySession.exists().where(
            OpportunitySession.opportunity == opportunity_id,
            OpportunitySession.starts_at > now,
        )
        status = OpportunityStatus.PUBLISHED if has_future else OpportunityStatus.DRAFT
        columns: dict[Any, Any] = {Opportunity.status: status.value, Opportunity.updated_at: now}
        if has_future:
            columns[Opportunity.published_at] = row["published_at"] or now
        await Opportunity.update(columns).where(Opportunity.id == opportunity_id)
        await refresh_opportunity(opportunity_id, now)
        await refresh_next_starts([opportunity_id])
        await record(Action.OPPORTUNITY_REOPENED, opportunity_id, summary=status.value)
    return status.value


async def add_session(opportunity_id: int, data: SessionInput) -> int:
    async with write_transaction():
        inserted = await OpportunitySession.insert(
            OpportunitySession(
                opportunity=opportunity_id,
                starts_at=data.starts_at,
                ends_at=data.ends_at,
                capacity=data.capacity,
                location_note=data.location_note,
            )
        ).returning(OpportunitySession.id)
        await refresh_opportunity(opportunity_id)
        await refresh_next_starts([opportunity_id])
        await record(Action.SESSION_ADDED, inserted[0]["id"])
    await schedule_fanout(data.ends_at, get_settings())
    return inserted[0]["id"]


async def update_session(session_id: int, data: SessionInput) -> bool:
    """False when sign-ups took more places meanwhile than the new capacity allows.

    The condition sits in the UPDATE itself, so a sign-up racing with the edit can never
    leave more people registered than places. Everyone signed up for a coming date whose
    time or place changed is told in the same transaction (old and new, with the updated
    calendar entry, in their language)."""
    now = utcnow()
    told = 0
    async with write_transaction():
        old = await session_details(session_id)
        updated = (
            await OpportunitySession.update(
                {
                    OpportunitySession.starts_at: data.starts_at,
                    OpportunitySession.ends_at: data.ends_at,
                    OpportunitySession.capacity: data.capacity,
                    OpportunitySession.location_note: data.location_note,
                }
            )
            .where(
                OpportunitySession.id == session_id,
                OpportunitySession.seats_taken <= data.capacity,
            )
            .returning(OpportunitySession.id)
        )
        if updated and old is not None and data.starts_at > now:
            new = await session_details(session_id)
            told = await queue_change_mails([(old, new)], now) if new else 0
        await refresh_session(session_id)
        await refresh_next_start_of_session(session_id)
        if updated:
            await record(Action.SESSION_EDITED, session_id, count=told or None)
    if told:
        await wake_delivery()
    if updated:
        await schedule_fanout(data.ends_at, get_settings())
        # A raised capacity is a free place for whoever waits longest.
        await fill_from_waitlist(session_id)
    return bool(updated)


async def delete_session(session_id: int) -> bool:
    """A coming date is cancelled even when people signed up: their sign-ups are cancelled
    and each is told by email in the same transaction. A date that has begun keeps its
    sign-ups (they are history): False then, unless nobody is signed up for it."""
    now = utcnow()
    async with write_transaction():
        row = await session_details(session_id)
        if row is None:
            return True
        if row["starts_at"] <= now:
            taken = await SignUp.exists().where(
                SignUp.session == session_id, SignUp.status != SignUpStatus.CANCELLED.value
            )
            if taken:
                return False
        told = await cancel_dates([row], now)
        await refresh_opportunity(row["opportunity_id"])
        await refresh_next_starts([row["opportunity_id"]])
        await record(Action.SESSION_CANCELLED, session_id, count=told or None)
    if told:
        await wake_delivery()
    return True


# --- the officers' list ------------------------------------------------------------------


async def organisation_opportunities(
    organisation_id: int | None, now: dt.datetime | None = None
) -> list[Row]:
    """An organisation's offers (every organisation's for `None`), with the next session and
    the places taken in upcoming sessions; two queries whatever the number."""
    now = now or utcnow()
    query = Opportunity.select(*CARD_COLUMNS).order_by(Opportunity.created_at, ascending=False)
    if organisation_id is not None:
        query = query.where(Opportunity.organisation == organisation_id)
    rows = await query
    sessions = await sessions_by_opportunity(
        [row["id"] for row in rows], OpportunitySession.starts_at > now, now=now
    )
    for row in rows:
        upcoming = sessions.get(row["id"], [])
        row["next_session"] = upcoming[0] if upcoming else None
        row["upcoming_count"] = len(upcoming)
        row["seats_taken"] = sum(s["seats_taken"] for s in upcoming)
        row["capacity"] = sum(s["capacity"] for s in upcoming)
    return rows


async def sessions_by_opportunity(
    opportunity_ids: list[int] | Select, *conditions: Where | WhereRaw, now: dt.datetime
) -> dict[int, list[Row]]:
    """Sessions of many opportunities in one query, grouped and in date order."""
    if isinstance(opportunity_ids, list) and not opportunity_ids:
        return {}
    rows = (
        await OpportunitySession.select(*SESSION_COLUMNS)
        .where(OpportunitySession.opportunity.is_in(opportunity_ids), *conditions)
        .order_by(OpportunitySession.starts_at)
    )
    grouped: dict[int, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[row["opportunity"]].append(session_view(row, now))
    return grouped


async def organisation_choices() -> list[tuple[int, str]]:
    """Organisations an administrator can post for."""
    rows = await Organisation.select(Organisation.id, Organisation.name).order_by(Organisation.name)
    return [(row["id"], row["name"]) for row in rows]
