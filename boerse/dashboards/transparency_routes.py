"""The public transparency pages and the open data: the town's figures by field of action,
mode and outcome goal, every small group withheld (see `public.py`)."""

from __future__ import annotations

import datetime as dt
import json

from litestar import Controller, Request, Response, get
from litestar.response import Template

from boerse.dashboards import opendata
from boerse.dashboards.public import (
    parse_public_query,
    public_dimension_choices,
    transparency_page,
)
from boerse.lib.db import utcnow
from boerse.lib.formatting import local
from boerse.settings import get_settings

OPEN_HEADERS = {"Access-Control-Allow-Origin": "*"}
"""Open data is public and needs no cookie: any site may fetch it from a browser."""


def _today() -> dt.date:
    return local(utcnow()).date()


class TransparencyController(Controller):
    path = "/ergebnisse"

    @get("/auswertung", name="dashboards:transparency")
    async def transparency(self, request: Request) -> Template:
        form, query = parse_public_query(request.query_params, _today())
        page = None
        if query is not None:
            page = await transparency_page(query, get_settings().public_results_min_answers)
        return Template(
            template_name="dashboards/transparency.html",
            context={
                "form": form,
                "page": page,
                "dimensions": public_dimension_choices(),
                "query": query,
            },
            status_code=200 if query is not None else 400,
        )

    @get("/offene-daten", name="dashboards:opendata")
    async def open_data_page(self) -> Template:
        return Template(
            template_name="dashboards/opendata.html",
            context={
                "catalogue": await opendata.open_data_catalogue(_today()),
                "columns": opendata.COLUMNS,
                "months": opendata.OPEN_DATA_MONTHS,
                "title_msgid": opendata.TITLE,
                "description_msgid": opendata.DESCRIPTION,
            },
        )

    @get("/offene-daten/daten.csv", name="dashboards:opendata_csv")
    async def open_data_csv(self) -> Response[str]:
        rows, _catalogue = await opendata.open_data(_today())
        filename = f"mitmach-boerse-{_today():%Y-%m-%d}.csv"
        return Response(
            opendata.to_csv(rows),
            media_type="text/csv",
            headers=OPEN_HEADERS | {"Content-Disposition": f'attachment; filename="{filename}"'},
        )

    @get("/offene-daten/daten.json", name="dashboards:opendata_json")
    async def open_data_json(self) -> Response[bytes]:
        rows, catalogue = await opendata.open_data(_today())
        return _json(opendata.to_json(rows, catalogue), "application/json")

    @get("/offene-daten/dcat.jsonld", name="dashboards:opendata_dcat")
    async def open_data_dcat(self) -> Response[bytes]:
        catalogue = await opendata.open_data_catalogue(_today())
        return _json(opendata.dcat(catalogue), "application/ld+json")


def _json(content: dict, media_type: str) -> Response[bytes]:
    body = json.dumps(content, ensure_ascii=False, indent=1).encode()
    return Response(body, media_type=media_type, headers=OPEN_HEADERS)


CONTROLLERS = [TransparencyController]
