"""An organisation's public page and logo, and its edit form for its own officers and the
administration."""

from __future__ import annotations

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from boerse.accounts.guards import requires_officer
from boerse.lib.flash import flash, register
from boerse.lib.forms import Form
from boerse.lib.i18n import N_
from boerse.lib.i18n import gettext as _
from boerse.lib.routing import see_other
from boerse.organisations import rules, schemas, services
from boerse.organisations.logos import MAX_LOGO_BYTES, logo_etag

SAVED = register("organisation_saved", N_("Die Angaben der Organisation wurden gespeichert."))

LOGO_CACHE = "public, max-age=31536000, immutable"
"""The logo's address carries its version, so an address never shows other bytes."""
STALE_LOGO_CACHE = "public, max-age=300"


class OrganisationController(Controller):
    @get("/organisationen/{organisation_id:int}", name="organisations:public")
    async def public(self, request: Request, organisation_id: FromPath[int]) -> Template:
        organisation = await rules.access_organisation(request.user, organisation_id)
        context = {
            "organisation": organisation,
            "offers": await services.published_offers(organisation_id),
            "can_edit": rules.may_edit(request.user, organisation_id),
        }
        return Template(template_name="organisations/public.html", context=context)

    # No CSRF token or cookie: an image carries no form, and a publicly cacheable response
    # must not set a cookie.
    @get(
        "/organisationen/{organisation_id:int}/logo/{version:str}",
        name="organisations:logo",
        exclude_from_csrf=True,
    )
    async def logo(
        self, request: Request, organisation_id: FromPath[int], version: FromPath[str]
    ) -> Response:
        """The stored bytes with their sniffed type; browsers must not guess another."""
        logo = await services.get_logo(organisation_id)
        if logo is None:
            raise NotFoundException()
        etag = logo_etag(logo.data)
        headers = {
            "ETag": etag,
            "Cache-Control": LOGO_CACHE if version == logo.version else STALE_LOGO_CACHE,
            "X-Content-Type-Options": "nosniff",
            "Content-Disposition": "inline",
        }
        if request.headers.get("if-none-match") == etag:
            return Response(content=b"", status_code=304, headers=headers)
        return Response(content=logo.data, media_type=logo.mime, headers=headers)

    @get(
        "/verwaltung/organisationen/{organisation_id:int}/bearbeiten",
        name="organisations:edit",
        guards=[requires_officer],
    )
    async def edit(self, request: Request, organisation_id: FromPath[int]) -> Template:
        organisation = await rules.access_organisation(request.user, organisation_id, manage=True)
        return _form_page(organisation, Form(values=schemas.form_values(organisation)))

    @post(
        "/verwaltung/organisationen/{organisation_id:int}/bearbeiten",
        name="organisations:update",
        guards=[requires_officer],
    )
    async def update(self, request: Request, organisation_id: FromPath[int]) -> Template | Redirect:
        organisation = await rules.access_organisation(request.user, organisation_id, manage=True)
        form = await Form.from_request(request)
        data = await schemas.parse_organisation_edit(form)
        if data is not None:
            try:
                await services.update_organisation(organisation_id, data)
            except services.NameTakenError:
                form.errors["name"] = _(
                    "Eine Organisation mit diesem Namen gibt es schon. Bitte wählen Sie "
                    "einen anderen Namen."
                )
        if not form.ok:
            return _form_page(organisation, form, 400)
        return flash(
            see_other(request, "organisations:public", organisation_id=organisation_id), SAVED
        )


def _form_page(organisation: dict, form: Form, status_code: int = 200) -> Template:
    context = {"organisation": organisation, "form": form, "max_logo_kb": MAX_LOGO_BYTES // 1024}
    return Template(
        template_name="organisations/form.html", context=context, status_code=status_code
    )


CONTROLLERS = [OrganisationController]
