"""Matching on the web: a resident's recommendations, and an officer's matching volunteers
for one opportunity with the invitation button."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from boerse.accounts.guards import requires_login, requires_officer
from boerse.lib.flash import flash, register
from boerse.lib.forms import Form
from boerse.lib.i18n import N_
from boerse.lib.i18n import gettext as _
from boerse.lib.routing import see_other
from boerse.matching import invitations
from boerse.matching.area import area_notice
from boerse.matching.services import Recommendation, candidates_for, recommendations_for
from boerse.opportunities import rules
from boerse.opportunities.labels import MODE_LABELS
from boerse.opportunities.schemas import SearchFilters, parse_filters
from boerse.profiles.services import get_profile
from boerse.profiles.taxonomy import Taxonomy, current

INVITED = register("matching_invited", N_("Die Einladung wird per E-Mail verschickt."))
ALREADY_INVITED = register(
    "matching_already_invited",
    N_("Diese Person ist schon eingeladen. Es wurde keine weitere E-Mail verschickt."),
    "info",
)
INVITE_CLOSED = register(
    "matching_invite_closed",
    N_(
        "Einladen können Sie nur zu einem veröffentlichten Angebot mit einem freien Platz in "
        "einem kommenden Termin. Es wurde nichts verschickt."
    ),
    "warning",
)
NOT_A_CANDIDATE = register(
    "matching_not_a_candidate",
    N_(
        "Diese Person passt nicht mehr zum Angebot oder möchte keine Einladungen mehr "
        "erhalten. Es wurde nichts verschickt."
    ),
    "warning",
)
REFUSALS = {"closed": INVITE_CLOSED, "not_a_candidate": NOT_A_CANDIDATE}
# The best matches are what helps; a long tail of weak ones does not.
RECOMMENDATION_LIMIT = 20
CANDIDATE_LIMIT = invitations.CANDIDATE_LIMIT
FILTER_NAMES = ("mode", "field", "skill", "from", "to", "online")


def _labels(taxonomy: Taxonomy, filters: SearchFilters) -> dict[str, Any]:
    """Translated labels for the opportunity cards and the filter form: the fields and
    skills as administrators keep them (retired ones only when the filter has them)."""
    return {
        "mode_labels": {key: _(text) for key, text in MODE_LABELS.items()},
        "field_options": taxonomy.options("fields", [filters.field]),
        "skill_options": taxonomy.options("skills", [filters.skill]),
    }


def cards(recommendations: list[Recommendation]) -> list[dict[str, Any]]:
    """Each recommendation as the list's card expects it, plus its reason; the distance is
    the resident's own (from their coarse home), so showing it to them reveals nothing."""
    return [
        {
            **item.opportunity,
            "distance_km": item.match.distance_km,
            "reason": item.reason,
        }
        for item in recommendations
    ]


async def home_recommendations(user_id: int, limit: int = 3) -> list[dict[str, Any]]:
    """The start page's "Für Sie empfohlen" cards (empty without a profile)."""
    return cards(await recommendations_for(user_id, limit=limit))


class RecommendationController(Controller):
    @get("/empfehlungen", name="matching:recommendations", guards=[requires_login])
    async def recommendations(self, request: Request) -> Template:
        taxonomy = await current()
        filters = parse_filters(request.query_params, taxonomy)
        own = await get_profile(request.user.id)
        profile = own is not None
        items = (
            await recommendations_for(
                request.user.id, _matching_filters(filters), limit=RECOMMENDATION_LIMIT
            )
            if profile
            else []
        )
        context = {
            "has_profile": profile,
            "area_notice": (
                area_notice(own.latitude, own.longitude, own.travel_radius_km) if own else None
            ),
            "items": cards(items),
            "filters": filters,
            "filtered": any(request.query_params.get(name) for name in FILTER_NAMES),
            "limit": RECOMMENDATION_LIMIT,
            "form": Form(
                values={"mode": filters.mode, "field": filters.field, "skill": filters.skill}
            ),
        }
        return Template(
            template_name="matching/recommendations.html",
            context=context | _labels(taxonomy, filters),
        )


def _matching_filters(filters: SearchFilters) -> SearchFilters:
    """Only the filters that make sense next to a ranking: place and sort come from the
    profile and the score, so they are dropped even if someone types them into the URL."""
    return SearchFilters(
        mode=filters.mode,
        field=filters.field,
        skill=filters.skill,
        date_from=filters.date_from,
        date_to=filters.date_to,
        online_only=filters.online_only,
    )


class CandidateController(Controller):
    path = "/verwaltung/angebote/{opportunity_id:int}/freiwillige"
    guards = [requires_officer]  # noqa: RUF012 - Litestar reads this class attribute

    @get("/", name="matching:candidates")
    async def candidates(self, request: Request, opportunity_id: FromPath[int]) -> Template:
        opportunity = await rules.access_opportunity(request.user, opportunity_id, manage=True)
        await current()
        invited = await invitations.invitations_of(opportunity_id)
        context = {
            "opportunity": opportunity,
            "can_invite": await invitations.can_invite(opportunity_id),
            "candidates": await candidates_for(opportunity_id, limit=CANDIDATE_LIMIT),
            "invited": invited,
            "invited_by_user": {person.user_id: person for person in invited},
        }
        return Template(template_name="matching/candidates.html", context=context)

    @post("/{user_id:int}/einladen", name="matching:invite")
    async def invite(
        self, request: Request, opportunity_id: FromPath[int], user_id: FromPath[int]
    ) -> Redirect:
        await rules.access_opportunity(request.user, opportunity_id, manage=True)
        await current()
        try:
            created = await invitations.invite(opportunity_id, user_id, request.user.id)
        except invitations.InviteRefusedError as refusal:
            notice = REFUSALS[refusal.reason]
        else:
            notice = INVITED if created else ALREADY_INVITED
        return flash(
            see_other(request, "matching:candidates", opportunity_id=opportunity_id), notice
        )


CONTROLLERS = [RecommendationController, CandidateController]
