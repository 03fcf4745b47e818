"""The API's records, as msgspec Structs whose descriptions become the OpenAPI document.

Field names are English and stable; values are as stored (German labels as the town wrote
them), so a harvester gets the same bytes whatever its Accept-Language. Times are ISO 8601
with their offset (UTC, `+00:00`). No record holds a person's data: no contact names, email
addresses or phone numbers, no sign-ups, only counts of free places."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

Mode = Literal["co_commission", "co_design", "co_deliver", "co_assess"]
"""The four ways of co-production (see the README's glossary)."""


class FieldOfAction(msgspec.Struct):
    """A field of action (Handlungsfeld) an opportunity belongs to."""

    slug: Annotated[str, Meta(description="Stable identifier, used by the `field` filter.")]
    name: Annotated[str, Meta(description="Name as the town keeps it (German).")]
    retired: Annotated[
        bool, Meta(description="No longer offered for new opportunities; old ones keep it.")
    ]


class Skill(msgspec.Struct):
    """A skill from the town's curated list."""

    slug: Annotated[str, Meta(description="Stable identifier, used by the `skill` filter.")]
    name: Annotated[str, Meta(description="Name as the town keeps it (German).")]
    retired: Annotated[bool, Meta(description="No longer offered for new opportunities.")]


class FieldList(msgspec.Struct):
    """Every field of action, in the town's order."""

    items: list[FieldOfAction]


class SkillList(msgspec.Struct):
    """Every curated skill, in German alphabetical order."""

    items: list[Skill]


class FieldRef(msgspec.Struct):
    """The field of action an opportunity belongs to."""

    slug: Annotated[str, Meta(description="Stable identifier (see `/fields`).")]
    name: Annotated[str, Meta(description="Name as the town keeps it (German).")]


class OrganisationRef(msgspec.Struct):
    """The organisation that offers an opportunity."""

    id: Annotated[int, Meta(description="Stable id (see `/organisations/{id}`).")]
    name: str


class SkillNeed(msgspec.Struct):
    """A skill an opportunity asks for."""

    slug: str
    name: str
    required: Annotated[bool, Meta(description="Required (true) or only welcome (false).")]


class Place(msgspec.Struct):
    """Where an opportunity takes place (null for online ones without a place)."""

    postcode: Annotated[str, Meta(description="German postcode, five digits.")]
    locality: Annotated[str, Meta(description="Town or district name.")]
    latitude: Annotated[float | None, Meta(description="WGS 84 latitude of the place.")]
    longitude: Annotated[float | None, Meta(description="WGS 84 longitude of the place.")]


class DateSummary(msgspec.Struct):
    """A dated session of an opportunity, with the places still free."""

    id: Annotated[int, Meta(description="Stable id of the date.")]
    starts_at: Annotated[dt.datetime, Meta(description="Start, ISO 8601 with offset.")]
    ends_at: Annotated[dt.datetime, Meta(description="End, ISO 8601 with offset.")]
    capacity: Annotated[int, Meta(description="Places in all.")]
    free_places: Annotated[int, Meta(description="Places not yet taken (0: full).")]
    full: Annotated[bool, Meta(description="No place is free; sign-ups go to a waiting list.")]


class Date(DateSummary):
    """A date with the note on where to meet."""

    location_note: Annotated[str, Meta(description="Where exactly to meet (may be empty).")]


class OpportunitySummary(msgspec.Struct):
    """A published opportunity as the list shows it."""

    id: Annotated[int, Meta(description="Stable id.")]
    url: Annotated[str, Meta(description="The opportunity's public page.")]
    title: str
    summary: Annotated[str, Meta(description="Short description (plain text).")]
    mode: Annotated[Mode, Meta(description="Way of co-production.")]
    field: FieldRef
    organisation: OrganisationRef
    online: Annotated[bool, Meta(description="Can be done online / remotely.")]
    place: Place | None
    next_date: Annotated[
        DateSummary | None,
        Meta(description="The next date (within `from`/`to` when given); null: none planned."),
    ]
    distance_km: Annotated[
        float | None,
        Meta(description="Distance from the `postcode` asked for, in km (null without it)."),
    ]
    published_at: Annotated[dt.datetime | None, Meta(description="First publication.")]
    updated_at: Annotated[dt.datetime, Meta(description="Last change of the record itself.")]


class OpportunityPage(msgspec.Struct):
    """One page of matching opportunities, in the order asked for."""

    items: list[OpportunitySummary]
    total: Annotated[int, Meta(description="Matching opportunities in all pages.")]
    next: Annotated[
        str | None, Meta(description="Address of the next page (null on the last one).")
    ]


class Opportunity(msgspec.Struct):
    """A published opportunity with its coming dates."""

    id: Annotated[int, Meta(description="Stable id.")]
    url: Annotated[str, Meta(description="The opportunity's public page.")]
    title: str
    summary: str
    description: Annotated[str, Meta(description="Full description (plain text, paragraphs).")]
    mode: Mode
    field: FieldRef
    organisation: OrganisationRef
    outcome_goal: Annotated[str, Meta(description="What the opportunity wants to achieve.")]
    online: Annotated[bool, Meta(description="Can be done online / remotely.")]
    place: Place | None
    address: Annotated[str, Meta(description="Street and number of the place (may be empty).")]
    skills: list[SkillNeed]
    languages: Annotated[list[str], Meta(description="Language codes spoken (e.g. `de`).")]
    min_age: Annotated[int | None, Meta(description="Minimum age in years (null: none).")]
    open_to_minors: Annotated[
        bool, Meta(description="People under 18 may take part (no minimum age of 18 or more).")
    ]
    accessibility: Annotated[str, Meta(description="Notes on accessibility (plain text).")]
    accessibility_features: Annotated[
        list[str], Meta(description="Accessibility features offered (stable slugs).")
    ]
    hours_per_month: Annotated[
        float | None, Meta(description="Hours a month asked for (null: as the dates take).")
    ]
    max_companions: Annotated[
        int, Meta(description="Further people one sign-up may bring along (0: none).")
    ]
    dates: Annotated[list[Date], Meta(description="Coming dates, earliest first.")]
    published_at: dt.datetime | None
    updated_at: dt.datetime


class Organisation(msgspec.Struct):
    """An organisation (council department or partner) that offers opportunities."""

    id: Annotated[int, Meta(description="Stable id.")]
    url: Annotated[str, Meta(description="The organisation's public page.")]
    name: str
    kind: Annotated[
        Literal["council", "partner"], Meta(description="Council department or partner.")
    ]
    description: str
    website: Annotated[str, Meta(description="Its own website (may be empty).")]
    published_opportunities: Annotated[
        int, Meta(description="How many of its opportunities are published now.")
    ]


class OrganisationPage(msgspec.Struct):
    """One page of organisations by id."""

    items: list[Organisation]
    next: Annotated[str | None, Meta(description="Address of the next page (null: last).")]


ResultView = Literal["field", "mode", "goal", "town"]


class ResultRow(msgspec.Struct):
    """One group's figures in one month, as the public results show them. A figure of a
    group too small to publish (fewer than `minimum_group_size` answers, or one that would
    let a withheld figure be worked out) is null and its `*_withheld` flag true, never 0."""

    view: Annotated[
        ResultView,
        Meta(description="Grouped by field of action, mode, outcome goal, or the whole town."),
    ]
    key: Annotated[str, Meta(description="The group: field or goal id, mode, or `*` (town).")]
    label: Annotated[str, Meta(description="The group's name (German, as stored).")]
    month: Annotated[str, Meta(description="Month as YYYY-MM.", pattern=r"^\d{4}-\d{2}$")]
    responses: Annotated[int | None, Meta(description="Questionnaires answered.")]
    response_rate_percent: Annotated[float | None, Meta(description="Invitations answered.")]
    average_rating: Annotated[float | None, Meta(description="Mean overall rating, 1 to 5.")]
    agreement_percent: Annotated[
        float | None, Meta(description="Agreeing answers to the outcome questions.")
    ]
    answers_withheld: bool
    sign_ups: Annotated[int | None, Meta(description="Places taken.")]
    attended: Annotated[int | None, Meta(description="Places taken up at past dates.")]
    hours: Annotated[float | None, Meta(description="Hours recorded by the organisers.")]
    first_timers: Annotated[int | None, Meta(description="Attendances of first-time people.")]
    returning: Annotated[int | None, Meta(description="Attendances of returning people.")]
    participation_withheld: bool
    split_withheld: Annotated[
        bool, Meta(description="`first_timers` and `returning` are withheld.")
    ]


class Results(msgspec.Struct):
    """The town's public results by month (the transparency pages' and open data's figures)."""

    first_month: Annotated[str, Meta(description="YYYY-MM")]
    last_month: Annotated[str, Meta(description="YYYY-MM")]
    updated_at: Annotated[
        dt.datetime | None, Meta(description="When the figures were last rebuilt.")
    ]
    minimum_group_size: Annotated[int, Meta(description="Fewest answers a published group has.")]
    licence: Annotated[str, Meta(description="Licence URI of the data.")]
    items: list[ResultRow]
