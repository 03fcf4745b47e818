"""Records of the partner API (msgspec Structs, documented in the OpenAPI description).

Input field names are those of the officers' forms, because the same parser checks them:
an offer is checked by one set of rules whether an officer types it or a tool sends it.
Every field is optional in the schema; which are required, and every other rule, is
answered by a 400 naming the field (`invalid-params`). A partial update (PATCH) sends only
what changes. Output never holds a person's data: sign-ups are counted, never listed."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import msgspec
from msgspec import UNSET, Meta, UnsetType

Text = str | UnsetType
Number = int | None | UnsetType
Flag = bool | UnsetType
Slugs = list[str] | UnsetType


class OpportunityInput(msgspec.Struct, forbid_unknown_fields=True):
    """An opportunity as a partner's tool sends it. Required when creating: `title`,
    `summary`, `description`, `mode`, `field`, `contact_name`, `contact_email`, and
    `postcode` unless `is_online`. The organisation is the key's."""

    title: Annotated[Text, Meta(description="At most 150 characters.")] = UNSET
    summary: Annotated[Text, Meta(description="At most 300 characters.")] = UNSET
    description: Annotated[Text, Meta(description="Paragraphs separated by blank lines.")] = UNSET
    mode: Annotated[
        Text, Meta(description="co_commission, co_design, co_deliver or co_assess.")
    ] = UNSET
    field: Annotated[Text, Meta(description="Slug of a field of action (GET /fields).")] = UNSET
    outcome_goal: Text = UNSET
    goals: Annotated[
        list[int] | UnsetType, Meta(description="Ids of the town's outcome goals.")
    ] = UNSET
    is_online: Flag = UNSET
    address: Annotated[Text, Meta(description="Street and number of the place (public).")] = UNSET
    postcode: Annotated[Text, Meta(description="German postcode of the place.")] = UNSET
    required_skills: Annotated[Slugs, Meta(description="Skill slugs (GET /skills).")] = UNSET
    desired_skills: Annotated[Slugs, Meta(description="Skill slugs (GET /skills).")] = UNSET
    languages: Annotated[Slugs, Meta(description="Language slugs.")] = UNSET
    accessibility: Annotated[Text, Meta(description="Notes on accessibility.")] = UNSET
    accessibility_features: Slugs = UNSET
    min_age: Number = UNSET
    reach_km: Number = UNSET
    hours_per_month: Number = UNSET
    contact_name: Annotated[Text, Meta(description="The offer's public contact.")] = UNSET
    contact_email: Text = UNSET
    contact_phone: Text = UNSET
    max_companions: Number = UNSET
    remind_day_before: Flag = UNSET
    remind_two_hours: Flag = UNSET


class DateInput(msgspec.Struct, forbid_unknown_fields=True):
    """A date in the town's local time (Europe/Berlin), as on the officers' form, or as
    instants (`starts_at`, `ends_at`) that are turned into those fields first. Required
    when adding: `date`, `starts`, `ends` (or `starts_at`, `ends_at`) and `capacity`."""

    date: Annotated[Text, Meta(description="Local day, YYYY-MM-DD.")] = UNSET
    starts: Annotated[Text, Meta(description="Local start time, HH:MM.")] = UNSET
    ends: Annotated[Text, Meta(description="Local end time, HH:MM, after the start.")] = UNSET
    capacity: Annotated[int | UnsetType, Meta(description="Places, 1 to 500.")] = UNSET
    location_note: Annotated[Text, Meta(description="Where to meet, at most 200.")] = UNSET
    starts_at: Annotated[
        dt.datetime | UnsetType,
        Meta(description="Instead of date and starts: ISO 8601 with offset, whole minutes."),
    ] = UNSET
    ends_at: Annotated[
        dt.datetime | UnsetType,
        Meta(description="Instead of ends: ISO 8601 with offset, the same local day."),
    ] = UNSET


def given(body: msgspec.Struct) -> dict[str, Any]:
    """The fields a client actually sent."""
    return {
        name: value
        for name in body.__struct_fields__
        if (value := getattr(body, name)) is not UNSET
    }


class SignUpCounts(msgspec.Struct):
    """How many sign-ups of a date are in each state. Counts only, never people."""

    signed_up: Annotated[int, Meta(description="Holding a place (registered or confirmed).")]
    waitlisted: int
    attended: Annotated[int, Meta(description="Marked present by the organisation.")]
    cancelled: int


class PartnerDate(msgspec.Struct):
    id: int
    starts_at: Annotated[dt.datetime, Meta(description="ISO 8601 with offset.")]
    ends_at: dt.datetime
    capacity: int
    free_places: int
    location_note: str
    sign_ups: SignUpCounts


class PartnerOpportunity(msgspec.Struct):
    """One of the key's organisation's opportunities, drafts included, with its dates."""

    id: int
    status: Annotated[str, Meta(description="draft, published or closed.")]
    url: Annotated[str, Meta(description="The public detail page (visible once published).")]
    title: str
    summary: str
    description: str
    mode: str
    field: str
    outcome_goal: str
    goals: list[int]
    is_online: bool
    address: str
    postcode: str
    locality: str
    required_skills: list[str]
    desired_skills: list[str]
    languages: list[str]
    accessibility: str
    accessibility_features: list[str]
    min_age: int | None
    reach_km: int | None
    hours_per_month: int | None
    contact_name: str
    contact_email: str
    contact_phone: str
    max_companions: int
    remind_day_before: bool
    remind_two_hours: bool
    organisation_id: int
    created_at: dt.datetime
    published_at: dt.datetime | None
    dates: list[PartnerDate]


class PartnerOpportunitySummary(msgspec.Struct):
    id: int
    status: str
    title: str
    url: str
    upcoming_dates: int
    next_starts_at: dt.datetime | None


class PartnerOpportunityList(msgspec.Struct):
    items: list[PartnerOpportunitySummary]


class PartnerDateList(msgspec.Struct):
    items: list[PartnerDate]


class KeyInfo(msgspec.Struct):
    """What the key in use may do."""

    partner_name: str
    prefix: Annotated[str, Meta(description="The key's public part, as the town lists it.")]
    scope: Annotated[str, Meta(description="read, or write (for its one organisation).")]
    organisation_id: int | None
    organisation_name: str | None
