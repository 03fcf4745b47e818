"""Pages that belong to no domain: imprint, privacy notice, accessibility statement.

Their texts are written by the administrators (boerse.legal); the paths and route names
stay here, linked from every page's footer."""

from __future__ import annotations

from litestar import Controller, Request, get
from litestar.response import Template

from boerse.legal.rules import may_edit_legal_pages
from boerse.legal.services import legal_page
from boerse.legal.tables import LegalPageKind


async def _legal(request: Request, kind: LegalPageKind) -> Template:
    page = await legal_page(kind)
    context = {"page": page, "may_edit": may_edit_legal_pages(request.user)}
    return Template(template_name="legal/page.html", context=context)


class PagesController(Controller):
    @get("/impressum", name="pages:imprint")
    async def imprint(self, request: Request) -> Template:
        return await _legal(request, LegalPageKind.IMPRINT)

    @get("/datenschutz", name="pages:privacy")
    async def privacy(self, request: Request) -> Template:
        return await _legal(request, LegalPageKind.PRIVACY)

    @get("/barrierefreiheit", name="pages:accessibility")
    async def accessibility(self, request: Request) -> Template:
        return await _legal(request, LegalPageKind.ACCESSIBILITY)


CONTROLLERS = [PagesController]
