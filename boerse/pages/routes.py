"""Pages that belong to no domain: start page, imprint, privacy notice, accessibility statement."""

from __future__ import annotations

from litestar import Controller, get
from litestar.response import Template


class PagesController(Controller):
    @get("/impressum", name="pages:imprint")
    async def imprint(self) -> Template:
        return Template(template_name="pages/imprint.html")

    @get("/datenschutz", name="pages:privacy")
    async def privacy(self) -> Template:
        return Template(template_name="pages/privacy.html")

    @get("/barrierefreiheit", name="pages:accessibility")
    async def accessibility(self) -> Template:
        return Template(template_name="pages/accessibility.html")


CONTROLLERS = [PagesController]
