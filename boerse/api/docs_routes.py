"""The page that describes the open API for people, linked from the open-data page."""

from __future__ import annotations

from litestar import Controller, Request, get
from litestar.openapi.plugins import JsonRenderPlugin, YamlRenderPlugin
from litestar.response import Template

from boerse.api.docs import operations
from boerse.api.router import API_PATH


class ApiDocsController(Controller):
    @get("/schnittstelle", name="api:docs")
    async def docs(self, request: Request) -> Template:
        app = request.app
        # From the plugins' own paths: the JSON handler also answers the bare path, and
        # reversing its name picks either address.
        context = {
            "operations": operations(app.openapi_schema),
            "json_url": f"{API_PATH}{JsonRenderPlugin().paths[0]}",
            "yaml_url": f"{API_PATH}{YamlRenderPlugin().paths[0]}",
        }
        return Template(template_name="api/docs.html", context=context)


CONTROLLERS = [ApiDocsController]
