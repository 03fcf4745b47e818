"""Administration of partner access: list the keys, issue one (shown once), revoke one."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import CacheControlHeader
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from boerse.accounts.admin_services import organisation_choices
from boerse.accounts.guards import requires_admin
from boerse.lib.db import utcnow
from boerse.lib.flash import flash, register
from boerse.lib.forms import Form
from boerse.lib.i18n import N_
from boerse.lib.routing import see_other
from boerse.partners import rules, schemas, services
from boerse.partners.tables import KeyScope

REVOKED = register(
    "partner_key_revoked",
    N_("Der Schlüssel ist widerrufen; Anfragen mit ihm werden ab sofort abgelehnt."),
    "info",
)
STATE_LABELS = {
    services.KeyState.ACTIVE: N_("gültig"),
    services.KeyState.EXPIRED: N_("abgelaufen"),
    services.KeyState.REVOKED: N_("widerrufen"),
}


def _page(name: str, status: int = 200, **context: Any) -> Template:
    context.update(scope_labels=schemas.SCOPE_LABELS, state_labels=STATE_LABELS)
    return Template(template_name=f"partners/{name}.html", context=context, status_code=status)


class PartnerAdminController(Controller):
    path = "/admin/partnerzugaenge"
    guards = [requires_admin]  # noqa: RUF012 - Litestar reads this class attribute

    @get("/", name="partners:admin_list")
    async def index(self) -> Template:
        return _page("admin_list", keys=await services.list_keys(), now=utcnow())

    @get("/neu", name="partners:admin_new")
    async def new(self) -> Template:
        form = Form(values={"scope": KeyScope.READ.value})
        return await self._form(form)

    @post(
        "/neu",
        name="partners:admin_create",
        # The key is on this page once: no cache may keep it.
        cache_control=CacheControlHeader(no_store=True),
    )
    async def create(self, request: Request) -> Template:
        form = await Form.from_request(request)
        choices = await organisation_choices()
        data = schemas.parse_key(form, {id_ for id_, _name in choices})
        if data is None:
            return await self._form(form, 400, choices)
        issued = await services.issue_key(data, request.user.id)
        return _page("admin_issued", key=await services.key_view(issued.id), secret=issued.key)

    @post("/{key_id:int}/widerrufen", name="partners:admin_revoke")
    async def revoke(self, request: Request, key_id: FromPath[int]) -> Redirect:
        await rules.access_partner_key(request.user, key_id)
        if not await services.revoke_key(key_id):
            raise NotFoundException()
        return flash(see_other(request, "partners:admin_list"), REVOKED)

    async def _form(
        self, form: Form, status: int = 200, choices: list[tuple[int, str]] | None = None
    ) -> Template:
        choices = choices if choices is not None else await organisation_choices()
        return _page("admin_form", status, form=form, organisations=choices)


CONTROLLERS = [PartnerAdminController]
