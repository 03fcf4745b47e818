"""What the API reads, through the domains' own services: the taxonomies, the public list's
search, one published opportunity, organisations and the suppressed public results."""

from __future__ import annotations

from boerse.api.schemas import FieldOfAction, Skill
from boerse.profiles.taxonomy import current as current_taxonomy


async def fields_of_action() -> list[FieldOfAction]:
    taxonomy = await current_taxonomy()
    return [FieldOfAction(e.slug, e.name, e.retired) for e in taxonomy.fields]


async def skills() -> list[Skill]:
    taxonomy = await current_taxonomy()
    return [Skill(e.slug, e.name, e.retired) for e in taxonomy.skills]
