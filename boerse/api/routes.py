"""The public read API's handlers: parse → one service call → record. No query here."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get
from litestar.datastructures import ResponseHeader
from litestar.params import Parameter

from boerse.api import services
from boerse.api.params import OpportunityQuery, decode_cursor, encode_cursor, search_filters
from boerse.api.problems import BAD_REQUEST, NOT_FOUND, TOO_MANY, bad_parameter
from boerse.api.schemas import (
    FieldList,
    Mode,
    Opportunity,
    OpportunityPage,
    Organisation,
    OrganisationPage,
    Results,
    ResultView,
    SkillList,
)
from boerse.lib.db import utcnow
from boerse.lib.errors import LARGEST_ID
from boerse.lib.formatting import local
from boerse.lib.i18n import gettext as _
from boerse.lib.urls import site_url
from boerse.profiles.taxonomy import current as current_taxonomy
from boerse.settings import get_settings

Id = Annotated[int, Parameter(ge=1, le=LARGEST_ID, description="Stable id.")]
Limit = Annotated[int, Parameter(ge=1, le=100, description="Entries per page (1–100).")]
Cursor = Annotated[
    str | None,
    Parameter(max_length=200, description="Opaque position from a previous page's `next`."),
]
Slug = Annotated[str | None, Parameter(max_length=60)]
NEXT_LINK = [
    ResponseHeader(
        name="Link",
        value="",
        documentation_only=True,
        description='`<next page>; rel="next"` while more pages follow.',
    )
]


def _next_link(request: Request, cursor: str) -> str:
    """This request's address with the next cursor: every filter is kept."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "cursor"]
    query = urlencode([*params, ("cursor", cursor)])
    return f"{get_settings().base_url}{request.url.path}?{query}"


def _paged(content: object, next_url: str | None) -> Response:
    headers = {"Link": f'<{next_url}>; rel="next"'} if next_url else {}
    return Response(content, headers=headers)


def _no_control_characters(**values: str | None) -> None:
    """A NUL or other control character in a text parameter is a client's mistake (and
    PostgreSQL refuses NUL in text): 400 naming the parameter."""
    for name, value in values.items():
        if value and any(ord(char) < 32 for char in value):
            raise bad_parameter(name, _("Enthält Steuerzeichen."))


class OpportunityController(Controller):
    path = "/opportunities"
    tags = ["Opportunities"]  # noqa: RUF012 - Litestar reads this class attribute

    @get(
        "/",
        name="api:opportunities",
        response_headers=NEXT_LINK,
        summary="Published opportunities",
        responses=BAD_REQUEST | TOO_MANY,
    )
    async def list(
        self,
        request: Request,
        mode: Annotated[Mode | None, Parameter(description="Way of co-production.")] = None,
        field: Annotated[Slug, Parameter(description="Field of action's slug (`/fields`).")] = None,
        skill: Annotated[Slug, Parameter(description="Skill's slug (`/skills`).")] = None,
        language: Annotated[Slug, Parameter(description="Language code spoken, e.g. `en`.")] = None,
        q: Annotated[
            str | None, Parameter(max_length=100, description="Words in title or description.")
        ] = None,
        date_from: Annotated[
            dt.date | None,
            Parameter(query="from", description="With a date on or after this day (YYYY-MM-DD)."),
        ] = None,
        date_to: Annotated[
            dt.date | None,
            Parameter(query="to", description="With a date on or before this day (YYYY-MM-DD)."),
        ] = None,
        online: Annotated[bool, Parameter(description="Online opportunities only.")] = False,
        accessible: Annotated[
            bool, Parameter(description="Only those that describe their accessibility.")
        ] = False,
        barrier_free: Annotated[
            list[str] | None,
            Parameter(
                description="Accessibility features all required (repeatable slugs).",
                max_items=10,
            ),
        ] = None,
        postcode: Annotated[
            str | None, Parameter(max_length=10, description="German postcode to measure from.")
        ] = None,
        radius_km: Annotated[
            int | None,
            Parameter(
                ge=1, le=200, description="Within this distance of `postcode` (online always)."
            ),
        ] = None,
        organisation: Annotated[
            int | None, Parameter(ge=1, le=LARGEST_ID, description="Organisation's id.")
        ] = None,
        changed_since: Annotated[
            str | None,
            Parameter(
                description="Record changed at or after this instant (RFC 3339, with offset).",
                max_length=40,
                schema_extra={"format": "date-time"},
            ),
        ] = None,
        sort: Annotated[
            Literal["next", "newest", "distance"],
            Parameter(description="Next date first, newest first, or nearest first."),
        ] = "next",
        cursor: Cursor = None,
        limit: Limit = 20,
    ) -> Response[OpportunityPage]:
        """The public list's search: the same filters mean the same as on the list page."""
        _no_control_characters(
            field=field, skill=skill, language=language, q=q, postcode=postcode, cursor=cursor
        )
        for value in barrier_free or []:
            _no_control_characters(barrier_free=value)
        query = OpportunityQuery(
            mode=mode,
            field=field,
            skill=skill,
            language=language,
            q=q,
            date_from=date_from,
            date_to=date_to,
            online=online,
            accessible=accessible,
            needs=tuple(barrier_free or ()),
            postcode=postcode,
            radius_km=radius_km,
            organisation=organisation,
            changed_since=changed_since,
            sort=sort,
            cursor=cursor,
        )
        filters = search_filters(query, await current_taxonomy())
        items, total, more = await services.opportunity_page(filters, limit, site_url)
        next_url = _next_link(request, encode_cursor(filters.page + 1)) if more else None
        return _paged(OpportunityPage(items=items, total=total, next=next_url), next_url)

    @get(
        "/{opportunity_id:int}",
        name="api:opportunity",
        summary="One published opportunity",
        responses=BAD_REQUEST | NOT_FOUND | TOO_MANY,
    )
    async def detail(self, opportunity_id: Id) -> Opportunity:
        """With its coming dates and their free places; drafts and closed ones are 404."""
        return await services.opportunity(opportunity_id, site_url)


class OrganisationController(Controller):
    path = "/organisations"
    tags = ["Organisations"]  # noqa: RUF012 - Litestar reads this class attribute

    @get(
        "/",
        name="api:organisations",
        response_headers=NEXT_LINK,
        summary="Organisations",
        responses=BAD_REQUEST | TOO_MANY,
    )
    async def list(
        self, request: Request, cursor: Cursor = None, limit: Limit = 50
    ) -> Response[OrganisationPage]:
        """Every organisation by id (council departments and partners)."""
        _no_control_characters(cursor=cursor)
        # The organisations' cursor is the last id shown (0: from the start).
        after = decode_cursor(cursor, maximum=LARGEST_ID) if cursor else 0
        items, more = await services.organisations(after, limit, site_url)
        next_url = _next_link(request, encode_cursor(items[-1].id)) if more else None
        return _paged(OrganisationPage(items=items, next=next_url), next_url)

    @get(
        "/{organisation_id:int}",
        name="api:organisation",
        summary="One organisation",
        responses=BAD_REQUEST | NOT_FOUND | TOO_MANY,
    )
    async def detail(self, organisation_id: Id) -> Organisation:
        """Its published opportunities: `/opportunities?organisation={id}`."""
        return await services.organisation(organisation_id, site_url)


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


class ResultsController(Controller):
    tags = ["Results"]  # noqa: RUF012 - Litestar reads this class attribute

    @get(
        "/results",
        name="api:results",
        summary="Public results by month",
        responses=BAD_REQUEST | TOO_MANY,
    )
    async def results(
        self,
        view: Annotated[
            ResultView | None, Parameter(description="Only this grouping (default: all).")
        ] = None,
    ) -> Results:
        """The figures of the transparency pages and the open data, small groups withheld."""
        return await services.results(local(utcnow()).date(), view)


CONTROLLERS = [OpportunityController, OrganisationController, TaxonomyController, ResultsController]
