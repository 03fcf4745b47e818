"""The embeddable widget, the snippet builder for staff, and the administrators' list of
websites allowed to embed it."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from boerse.accounts.guards import requires_admin, requires_officer
from boerse.lib.flash import flash, register
from boerse.lib.forms import Form
from boerse.lib.i18n import N_
from boerse.lib.middleware import LANGUAGE_FOR_RESPONSE_ONLY
from boerse.lib.routing import see_other
from boerse.lib.urls import site_url
from boerse.profiles.taxonomy import current as current_taxonomy
from boerse.widget import rules, schemas, services, snippets

HOST_ADDED = register("embedding_host_added", N_("Die Website darf das Widget jetzt einbetten."))
HOST_REMOVED = register(
    "embedding_host_removed", N_("Die Website darf das Widget nicht mehr einbetten."), "info"
)


class WidgetController(Controller):
    # No session lookup and no CSRF cookie: inside another site's page our cookies are
    # third-party cookies (often blocked), and the widget shows only public offers and no form.
    # `?lang=` follows the host page for this response only and sets no language cookie.
    @get(
        "/einbetten/angebote",
        name="widget:offers",
        opt={
            "exclude_from_auth": True,
            "exclude_from_csrf": True,
            LANGUAGE_FOR_RESPONSE_ONLY: True,
        },
    )
    async def offers(self, request: Request) -> Template:
        query = schemas.parse_query(request.query_params, await current_taxonomy())
        page = await services.widget_page(query)
        context = {
            "query": query,
            "page": page,
            "mode_labels": snippets.mode_labels(),
            "list_parameters": query.list_parameters(),
        }
        return Template(
            template_name="widget/offers.html",
            context=context,
            status_code=200 if query.ok else 400,
            headers={"Content-Security-Policy": await services.frame_policy()},
        )


class SnippetController(Controller):
    @get("/verwaltung/einbetten", name="widget:builder", guards=[requires_officer])
    async def builder(self, request: Request) -> Template:
        rules.require_snippet_builder(request.user)
        typed = snippets.builder_values(request.query_params)
        query = schemas.parse_query(snippets.widget_parameters(typed), await current_taxonomy())
        choices = await services.builder_choices(query)
        form = Form(values=typed, errors=snippets.builder_errors(query))
        context: dict[str, Any] = {
            "form": form,
            "choices": choices,
            "mode_options": list(snippets.mode_labels().items()),
            "count_options": [(n, str(n)) for n in range(1, schemas.MAX_COUNT + 1)],
            "may_manage_hosts": rules.may_manage_hosts(request.user),
        }
        if form.ok:
            preview = schemas.widget_address(request.app.route_reverse("widget:offers"), query)
            absolute = schemas.widget_address(site_url("widget:offers"), query)
            context |= {"preview": preview, "snippet": snippets.iframe(absolute, query.language)}
        return Template(
            template_name="widget/builder.html",
            context=context,
            status_code=200 if form.ok else 400,
        )


class HostAdminController(Controller):
    path = "/admin/einbetten"
    guards = [requires_admin]  # noqa: RUF012 - Litestar reads this class attribute

    @get("/", name="widget:hosts")
    async def hosts(self, request: Request) -> Template:
        rules.require_host_manager(request.user)
        return await _hosts_page(Form())

    @post("/", name="widget:add_host")
    async def add_host(self, request: Request) -> Template | Redirect:
        rules.require_host_manager(request.user)
        form = await Form.from_request(request)
        origin, problem = schemas.parse_origin(form.text("origin", max_length=1000))
        if not problem:
            try:
                await services.add_host(origin)
            except services.HostError as error:
                problem = str(error)
        if problem:
            form.errors["origin"] = problem
            return await _hosts_page(form, 400)
        return flash(see_other(request, "widget:hosts"), HOST_ADDED)

    @post("/{host_id:int}/entfernen", name="widget:remove_host")
    async def remove_host(self, request: Request, host_id: FromPath[int]) -> Redirect:
        host = await rules.access_host(request.user, host_id)
        await services.remove_host(host)
        return flash(see_other(request, "widget:hosts"), HOST_REMOVED)


async def _hosts_page(form: Form, status_code: int = 200) -> Template:
    form.labels.setdefault("origin", N_("Adresse der Website"))
    return Template(
        template_name="widget/hosts.html",
        context={"form": form, "hosts": await services.hosts()},
        status_code=status_code,
    )


CONTROLLERS = [WidgetController, SnippetController, HostAdminController]
