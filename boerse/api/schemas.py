"""The API's records, as msgspec Structs whose descriptions become the OpenAPI document.

Field names are English and stable; values are as stored (German labels as the town wrote
them), so a harvester gets the same bytes whatever its Accept-Language. Times are ISO 8601
with their offset (UTC, `+00:00`). No record holds a person's data: no contact names, email
addresses or phone numbers, no sign-ups, only counts of free places."""

from __future__ import annotations

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
