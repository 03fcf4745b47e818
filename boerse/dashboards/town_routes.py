"""The evaluation dashboard (Auswertung) for officers (their organisation) and the
administration (the whole town or one organisation), as a page and as CSV.

Both handlers parse the GET query, ask the rules for the scope, and make one service call;
a bad query gives the filter form back with its messages and status 400."""

from __future__ import annotations

from litestar import Controller, Request, get
from litestar.response import Response, Template

from boerse.accounts.guards import requires_officer
from boerse.dashboards import town_view
from boerse.dashboards.rules import access_dashboard
from boerse.dashboards.town_schemas import DashboardQuery, FilterChoices, parse_query
from boerse.lib.db import utcnow
from boerse.lib.formatting import local
from boerse.lib.forms import Form


async def _parsed(request: Request) -> tuple[Form, DashboardQuery | None, FilterChoices]:
    user = request.user
    choices = await town_view.filter_choices(user.organisation_id, is_admin=user.is_admin)
    today = local(utcnow()).date()
    form, query = parse_query(request.query_params, choices, today, is_admin=user.is_admin)
    return form, query, choices


class TownDashboardController(Controller):
    path = "/verwaltung/auswertung"
    guards = [requires_officer]  # noqa: RUF012 - Litestar reads this class attribute

    @get("/", name="dashboards:town")
    async def page(self, request: Request) -> Template:
        form, query, choices = await _parsed(request)
        context = {
            "form": form,
            "query": query,
            "choices": choices,
            "today": local(utcnow()).date(),
        }
        if query is None:
            access_dashboard(request.user, None)
            return Template("dashboards/town.html", context=context, status_code=400)
        scope = access_dashboard(request.user, query.organisation_id)
        context["page"] = await town_view.evaluation(query, scope, choices)
        return Template("dashboards/town.html", context=context)

    @get("/auswertung.csv", name="dashboards:town_csv")
    async def csv(self, request: Request) -> Response:
        form, query, _choices = await _parsed(request)
        if query is None:
            access_dashboard(request.user, None)
            text = "\n".join(form.errors.values())
            return Response(text, media_type="text/plain; charset=utf-8", status_code=400)
        scope = access_dashboard(request.user, query.organisation_id)
        dashboard = await town_view.load_dashboard(query, scope)
        return Response(
            town_view.dashboard_csv(dashboard),
            media_type="text/csv",
            headers={
                "Content-Disposition": f'attachment; filename="{town_view.csv_filename(query)}"',
                "Cache-Control": "no-store",
            },
        )


CONTROLLERS = [TownDashboardController]
