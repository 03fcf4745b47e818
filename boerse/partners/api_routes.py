"""The partner API under /api/v1/partner: a key's organisation's opportunities and dates,
written through the same parsers and services as the officers' pages (so the same checks,
audit entries and mails to participants), and sign-up counts per date.

Handlers: authenticate (the `partner` dependency) → authorise (`rules`) → parse → one
service call → record."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, delete, get, patch, post
from litestar.datastructures import CacheControlHeader
from litestar.di import NamedDependency, Provide
from litestar.exceptions import (
    HTTPException,
)
from litestar.params import FromPath, JSONBody

from boerse.api.problems import (
    NOT_FOUND,
    BadParametersError,
    InvalidParam,
    problem_spec,
)
from boerse.audit.context import acting_as
from boerse.goals.services import goals_of_opportunity, link_choices
from boerse.lib.db import utcnow
from boerse.lib.forms import Form
from boerse.lib.i18n import gettext as _
from boerse.opportunities import schemas as opportunity_schemas
from boerse.opportunities import services as opportunity_services
from boerse.partners import api_views, rules
from boerse.partners.api_schemas import (
    DateInput,
    KeyInfo,
    OpportunityInput,
    PartnerDate,
    PartnerDateList,
    PartnerOpportunity,
    PartnerOpportunityList,
    given,
)
from boerse.partners.auth import SECURITY_SCHEME, actor_of, partner_of
from boerse.partners.rules import Partner
from boerse.partners.schemas import date_body, json_form
from boerse.profiles.taxonomy import current as current_taxonomy

KEY_REFUSED = {
    401: problem_spec("No valid key: missing, malformed, unknown, revoked or expired."),
    403: problem_spec("The key may not do this (read-only, or another organisation's)."),
    429: problem_spec("Too many requests with this key or from this client; see `Retry-After`."),
}
BAD_REQUEST = {
    400: problem_spec("A field of the body is invalid; `invalid-params` names each with why.")
}
CONFLICT = {409: problem_spec("The opportunity or date is not in a state that allows this.")}


def _invalid(form: Form) -> BadParametersError:
    """Every field the shared parser rejected, by the name the client sent."""
    return BadParametersError([InvalidParam(name, reason) for name, reason in form.errors.items()])


def _conflict(detail: str) -> HTTPException:
    return HTTPException(status_code=409, detail=detail)


async def _goal_choices(linked: list[int]) -> set[int]:
    """The outcome goals an offer may link: the current ones, and retired ones it has."""
    return {goal_id for _title, goals in await link_choices(linked) for goal_id, _g in goals}


async def _parse_opportunity(
    body: OpportunityInput, start: dict[str, Any], linked: list[int]
) -> opportunity_schemas.OpportunityInput:
    form = json_form(given(body), start)
    allowed = await _goal_choices(linked)
    data = opportunity_schemas.parse_opportunity(form, None, allowed, await current_taxonomy())
    if data is None:
        raise _invalid(form)
    return data


def _date_form(data: DateInput, start: dict[str, Any] | None = None) -> Form:
    """A date's body (instants turned into local fields) over `start`, as the officers'
    date form would hold it."""
    fields, problems = date_body(given(data))
    form = json_form(fields, start)
    form.errors.update(problems)
    return form


class PartnerController(Controller):
    path = "/partner"
    tags = ["Partner access"]  # noqa: RUF012 - Litestar reads these class attributes
    security = [{SECURITY_SCHEME: []}]  # noqa: RUF012
    dependencies = {"partner": Provide(partner_of)}  # noqa: RUF012
    # Answers for one key: never kept by a browser or a shared cache.
    cache_control = CacheControlHeader(no_store=True, private=True)

    @get("/key", name="partners_api:key", summary="The key in use", responses=KEY_REFUSED)
    async def key(self, partner: NamedDependency[Partner]) -> KeyInfo:
        """Who the key belongs to and what it may do; a tool's first call to check its key."""
        return await api_views.key_info(partner)

    @get(
        "/opportunities",
        name="partners_api:list",
        summary="The organisation's opportunities",
        responses=KEY_REFUSED,
    )
    async def opportunities(self, partner: NamedDependency[Partner]) -> PartnerOpportunityList:
        """Every opportunity of the key's organisation, drafts and closed ones included."""
        organisation_id = rules.require_organisation(partner)
        return await api_views.opportunity_list(organisation_id)

    @post(
        "/opportunities",
        name="partners_api:create",
        summary="Create an opportunity (as a draft)",
        responses=KEY_REFUSED | BAD_REQUEST,
    )
    async def create(
        self, request: Request, partner: NamedDependency[Partner], data: JSONBody[OpportunityInput]
    ) -> PartnerOpportunity:
        """A new draft of the key's organisation. Add dates, then publish it."""
        organisation_id = rules.require_write(partner)
        parsed = await _parse_opportunity(
            data, dict(opportunity_schemas.NEW_OPPORTUNITY_VALUES), []
        )
        with acting_as(actor_of(partner, request)):
            opportunity_id = await opportunity_services.create_opportunity(
                parsed, organisation_id, None
            )
        return await api_views.opportunity(opportunity_id)

    @get(
        "/opportunities/{opportunity_id:int}",
        name="partners_api:detail",
        summary="One opportunity with its dates and sign-up counts",
        responses=KEY_REFUSED | NOT_FOUND,
    )
    async def detail(
        self, partner: NamedDependency[Partner], opportunity_id: FromPath[int]
    ) -> PartnerOpportunity:
        await rules.access_partner_opportunity(partner, opportunity_id)
        return await api_views.opportunity(opportunity_id)

    @patch(
        "/opportunities/{opportunity_id:int}",
        name="partners_api:update",
        summary="Change an opportunity",
        responses=KEY_REFUSED | NOT_FOUND | BAD_REQUEST,
    )
    async def update(
        self,
        request: Request,
        partner: NamedDependency[Partner],
        opportunity_id: FromPath[int],
        data: JSONBody[OpportunityInput],
    ) -> PartnerOpportunity:
        """Only the fields sent change; the whole offer is then checked as on the form."""
        opportunity = await rules.access_partner_opportunity(partner, opportunity_id, write=True)
        linked = [goal_id for goal_id, _title in await goals_of_opportunity(opportunity_id)]
        start = opportunity_schemas.opportunity_form_values(opportunity)
        start["goals"] = [str(goal_id) for goal_id in linked]
        parsed = await _parse_opportunity(data, start, linked)
        with acting_as(actor_of(partner, request)):
            await opportunity_services.update_opportunity(opportunity_id, parsed)
        return await api_views.opportunity(opportunity_id)

    @post(
        "/opportunities/{opportunity_id:int}/publish",
        name="partners_api:publish",
        summary="Publish an opportunity",
        status_code=200,
        responses=KEY_REFUSED | NOT_FOUND | CONFLICT,
    )
    async def publish(
        self, request: Request, partner: NamedDependency[Partner], opportunity_id: FromPath[int]
    ) -> PartnerOpportunity:
        """Makes it public on the list, the feeds and the read API; needs a date ahead."""
        await rules.access_partner_opportunity(partner, opportunity_id, write=True)
        with acting_as(actor_of(partner, request)):
            published = await opportunity_services.publish(opportunity_id)
        if not published:
            raise _conflict(
                _(
                    "Bitte legen Sie zuerst mindestens einen Termin in der Zukunft an; "
                    "ohne Termin kann sich niemand anmelden."
                )
            )
        return await api_views.opportunity(opportunity_id)

    @post(
        "/opportunities/{opportunity_id:int}/close",
        name="partners_api:close",
        summary="Close an opportunity",
        status_code=200,
        responses=KEY_REFUSED | NOT_FOUND,
    )
    async def close(
        self, request: Request, partner: NamedDependency[Partner], opportunity_id: FromPath[int]
    ) -> PartnerOpportunity:
        """Takes it off the public list; sign-ups and results stay."""
        await rules.access_partner_opportunity(partner, opportunity_id, write=True)
        with acting_as(actor_of(partner, request)):
            await opportunity_services.close(opportunity_id)
        return await api_views.opportunity(opportunity_id)

    @get(
        "/opportunities/{opportunity_id:int}/dates",
        name="partners_api:dates",
        summary="Dates with sign-up counts",
        responses=KEY_REFUSED | NOT_FOUND,
    )
    async def dates(
        self, partner: NamedDependency[Partner], opportunity_id: FromPath[int]
    ) -> PartnerDateList:
        """Every date, past ones included, with how many signed up, wait, came or cancelled."""
        await rules.access_partner_opportunity(partner, opportunity_id)
        return PartnerDateList(items=await api_views.dates(opportunity_id))

    @post(
        "/opportunities/{opportunity_id:int}/dates",
        name="partners_api:add_date",
        summary="Add a date",
        responses=KEY_REFUSED | NOT_FOUND | BAD_REQUEST,
    )
    async def add_date(
        self,
        request: Request,
        partner: NamedDependency[Partner],
        opportunity_id: FromPath[int],
        data: JSONBody[DateInput],
    ) -> PartnerDate:
        await rules.access_partner_opportunity(partner, opportunity_id, write=True)
        form = _date_form(data)
        parsed = opportunity_schemas.parse_session(form, now=utcnow())
        if parsed is None:
            raise _invalid(form)
        with acting_as(actor_of(partner, request)):
            date_id = await opportunity_services.add_session(opportunity_id, parsed)
        return await api_views.date(opportunity_id, date_id)

    @patch(
        "/opportunities/{opportunity_id:int}/dates/{date_id:int}",
        name="partners_api:update_date",
        summary="Change a date",
        responses=KEY_REFUSED | NOT_FOUND | BAD_REQUEST,
    )
    async def update_date(
        self,
        request: Request,
        partner: NamedDependency[Partner],
        opportunity_id: FromPath[int],
        date_id: FromPath[int],
        data: JSONBody[DateInput],
    ) -> PartnerDate:
        """Only the fields sent change. Everyone signed up for a coming date whose time or
        place changes is told by email, as when an officer changes it."""
        _opportunity, session = await rules.access_partner_date(
            partner, opportunity_id, date_id, write=True
        )
        start = opportunity_schemas.session_form_values(session)
        form = _date_form(data, start)
        minimum = max(session["seats_taken"], 1)
        parsed = opportunity_schemas.parse_session(form, minimum_capacity=minimum)
        if parsed is None:
            raise _invalid(form)
        with acting_as(actor_of(partner, request)):
            saved = await opportunity_services.update_session(date_id, parsed)
        if not saved:
            form.errors["capacity"] = _(
                "Inzwischen haben sich mehr Personen angemeldet; bitte wählen Sie eine "
                "größere Kapazität."
            )
            raise _invalid(form)
        return await api_views.date(opportunity_id, date_id)

    @delete(
        "/opportunities/{opportunity_id:int}/dates/{date_id:int}",
        name="partners_api:cancel_date",
        summary="Cancel a date",
        responses=KEY_REFUSED | NOT_FOUND | CONFLICT,
    )
    async def cancel_date(
        self,
        request: Request,
        partner: NamedDependency[Partner],
        opportunity_id: FromPath[int],
        date_id: FromPath[int],
    ) -> None:
        """A coming date is cancelled and everyone signed up is told by email; a date that
        has begun keeps its sign-ups (409)."""
        await rules.access_partner_date(partner, opportunity_id, date_id, write=True)
        with acting_as(actor_of(partner, request)):
            cancelled = await opportunity_services.delete_session(date_id)
        if not cancelled:
            raise _conflict(
                _(
                    "Für diesen Termin haben sich schon Personen angemeldet; er kann nicht "
                    "gelöscht werden. Sie können die Kapazität oder die Zeit ändern."
                )
            )


CONTROLLERS = [PartnerController]
