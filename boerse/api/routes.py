"""The public read API's handlers: parse → one service call → record. No query here."""

from __future__ import annotations

from litestar import Controller, get

from boerse.api import services
from boerse.api.problems import TOO_MANY
from boerse.api.schemas import FieldList, SkillList


class TaxonomyController(Controller):
    tags = ["Taxonomies"]  # noqa: RUF012 - Litestar reads this class attribute

    @get("/fields", name="api:fields", summary="Fields of action", responses=TOO_MANY)
    async def fields(self) -> FieldList:
        """Every field of action, retired ones included (old opportunities keep them)."""
        return FieldList(items=await services.fields_of_action())

    @get("/skills", name="api:skills", summary="Skills", responses=TOO_MANY)
    async def skills(self) -> SkillList:
        """The curated skills opportunities may ask for."""
        return SkillList(items=await services.skills())


CONTROLLERS = [TaxonomyController]
