"""Administration of the legal pages: overview, edit with preview, save.

The public pages keep their routes in the pages domain (`pages:imprint`, …) and read the
texts through `boerse.legal.services`."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from boerse.accounts.guards import requires_admin
from boerse.legal import rules, schemas, services
from boerse.legal.markdown import placeholders, render_markdown
from boerse.lib.flash import flash, register
from boerse.lib.forms import Form
from boerse.lib.i18n import N_
from boerse.lib.routing import see_other

register("legal_saved", N_("Der Rechtstext wurde gespeichert und ist sofort öffentlich."))


def _edit_page(page: services.LegalPage, form: Form, preview: str | None, status: int) -> Template:
    """The form with what was typed; a preview and the open placeholders of that text."""
    typed = str(form.values.get("body", ""))
    context = {
        "page": page,
        "form": form,
        "preview": render_markdown(preview) if preview is not None else None,
        "open_placeholders": placeholders(typed),
    }
    return Template(template_name="legal/admin_edit.html", context=context, status_code=status)


class LegalAdminController(Controller):
    path = "/admin/rechtstexte"
    guards = [requires_admin]  # noqa: RUF012 - Litestar reads this class attribute

    @get("/", name="legal:admin_list")
    async def overview(self) -> Template:
        pages = await services.legal_pages()
        return Template(template_name="legal/admin_list.html", context={"pages": pages})

    @get("/{slug:str}", name="legal:admin_edit")
    async def edit(self, request: Request, slug: FromPath[str]) -> Template:
        kind = rules.access_legal_page_for_edit(request.user, slug)
        page = await services.legal_page(kind)
        return _edit_page(page, Form(values={"body": page.body}), None, 200)

    @post("/{slug:str}", name="legal:admin_save")
    async def save(self, request: Request, slug: FromPath[str]) -> Template | Redirect:
        kind = rules.access_legal_page_for_edit(request.user, slug)
        form = await Form.from_request(request)
        body = schemas.legal_text(form)
        if not form.ok or schemas.wants_preview(form):
            page = await services.legal_page(kind)
            return _edit_page(page, form, body if form.ok else None, 200 if form.ok else 400)
        await services.save_legal_page(kind, body, request.user.id)
        return flash(see_other(request, "legal:admin_list"), "legal_saved")


CONTROLLERS = [LegalAdminController]
