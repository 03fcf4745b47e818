"""Result dashboards: the officer's view of one opportunity and the public transparency pages."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, QueryParameter
from litestar.response import Template

from boerse.accounts.guards import requires_officer
from boerse.dashboards import services
from boerse.dashboards.rules import access_officer_results, access_public_results
from boerse.dashboards.town_view import freshness_text
from boerse.replies.services import replies_for_opportunity
from boerse.settings import get_settings

VersionQuery = Annotated[int | None, QueryParameter(name="version", ge=1)]
PageQuery = Annotated[int, QueryParameter(name="seite", ge=1)]


class OfficerResultsController(Controller):
    path = "/verwaltung/angebote"

    @get(
        "/{opportunity_id:int}/ergebnisse",
        name="dashboards:officer_results",
        guards=[requires_officer],
    )
    async def results(
        self,
        request: Request,
        opportunity_id: FromPath[int],
        version: VersionQuery = None,
        page: PageQuery = 1,
    ) -> Template:
        header = await access_officer_results(request.user, opportunity_id)
        settings = get_settings()
        results = await services.opportunity_results(
            header,
            with_comments=True,
            min_answers=settings.officer_results_min_answers,
            version_number=version,
            text_page=page,
        )
        if results is None:
            raise NotFoundException()
        return Template(
            template_name="dashboards/officer_results.html",
            context={
                "results": results,
                "min_answers": settings.public_results_min_answers,
                "replies": await replies_for_opportunity(opportunity_id, published_only=False),
                "reply_new_url": request.app.route_reverse(
                    "replies:new", opportunity_id=opportunity_id
                ),
            },
        )


class PublicResultsController(Controller):
    path = "/ergebnisse"

    @get("/", name="dashboards:overview")
    async def overview(self, page: PageQuery = 1) -> Template:
        overview = await services.town_overview(
            get_settings().public_results_min_answers, page=page
        )
        return Template(
            template_name="dashboards/overview.html",
            # freshness_text reads only the overview's `freshness`, as a dashboard's.
            context={"overview": overview, "freshness": freshness_text(overview)},
        )

    @get("/{opportunity_id:int}", name="dashboards:public_results")
    async def results(
        self, opportunity_id: FromPath[int], version: VersionQuery = None
    ) -> Template:
        header = await access_public_results(opportunity_id)
        min_answers = get_settings().public_results_min_answers
        results = await services.opportunity_results(
            header, with_comments=False, min_answers=min_answers, version_number=version
        )
        replies = await replies_for_opportunity(opportunity_id)  # not answers: always shown
        if results is None or results.responses < min_answers:
            # Too few answers would let readers guess who said what: show nothing but the title.
            return Template(
                template_name="dashboards/pending.html",
                context={"header": header, "min_answers": min_answers, "replies": replies},
            )
        return Template(
            template_name="dashboards/public_results.html",
            context={"results": results, "replies": replies},
        )


CONTROLLERS = [OfficerResultsController, PublicResultsController]
