"""The inventory (Bestandsaufnahme) for officers and administrators: the matrix of fields of
action × modes (page and CSV), one cell's offers, entries outside the Börse and ideas, and
the form for an entry outside the Börse."""

from __future__ import annotations

import csv
import io
from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import PermissionDeniedException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Response, Template

from boerse.accounts.guards import requires_officer
from boerse.inventory import rules, schemas, services
from boerse.inventory.services import CellDetail, ExternalEntry, Matrix
from boerse.lib.flash import flash, register
from boerse.lib.formatting import number
from boerse.lib.forms import Form
from boerse.lib.i18n import N_
from boerse.lib.i18n import gettext as _
from boerse.lib.routing import see_other
from boerse.opportunities.labels import MODE_LABELS
from boerse.opportunities.rules import acts_for
from boerse.opportunities.services import organisation_choices

ADDED = register("inventory_added", N_("Der Eintrag wurde in die Bestandsaufnahme aufgenommen."))
SAVED = register("inventory_saved", N_("Der Eintrag wurde gespeichert."))
DELETED = register("inventory_deleted", N_("Der Eintrag wurde gelöscht."))
IDEA_ADDED = register("inventory_idea_added", N_("Ihre Idee wurde notiert."))


def _field_options(rows: list[dict]) -> list[tuple[int, str]]:
    """Field names are msgids of the curated taxonomy, translated when shown."""
    options = []
    for row in rows:
        name = row["name"]
        options.append((row["id"], _(name)))
    return options


def _mode_options() -> list[tuple[str, str]]:
    return [(mode, _(label)) for mode, label in MODE_LABELS.items()]


async def _organisations(request: Request) -> tuple[set[int] | None, list[tuple[int, str]]]:
    """Administrators choose the organisation of an entry; officers enter for their own."""
    if not request.user.is_admin:
        return None, []
    choices = await organisation_choices()
    return {id_ for id_, _name in choices}, choices


async def _entry_form(
    request: Request,
    form: Form,
    *,
    entry: ExternalEntry | None = None,
    status_code: int = 200,
) -> Template:
    field_rows = await services.fields()
    _ids, organisations = await _organisations(request)
    context = {
        "form": form,
        "entry": entry,
        "field_options": _field_options(field_rows),
        "mode_options": _mode_options(),
        "organisations": organisations,
    }
    return Template(
        template_name="inventory/external_form.html", context=context, status_code=status_code
    )


async def _parse_entry(request: Request, form: Form) -> services.ExternalInput | None:
    field_rows = await services.fields()
    organisation_ids, _choices = await _organisations(request)
    return schemas.parse_external(
        form, field_ids={row["id"] for row in field_rows}, organisations=organisation_ids
    )


def _cell_page(
    request: Request, detail: CellDetail, form: Form, status_code: int = 200
) -> Template:
    context = {
        "cell": detail,
        "form": form,
        "mode_label": _(MODE_LABELS[detail.mode]),
        "can_add": rules.can_add(request.user),
        "own_offers": {
            offer.id for offer in detail.offers if acts_for(request.user, offer.organisation_id)
        },
        "manageable": {
            entry.id for entry in detail.external if rules.can_manage(request.user, entry)
        },
    }
    return Template(template_name="inventory/cell.html", context=context, status_code=status_code)


def matrix_csv(matrix: Matrix) -> str:
    """One line per cell (long format: easy to filter and pivot in a spreadsheet)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(
        [
            _("Handlungsfeld"),
            _("Mitmach-Art"),
            _("Laufende Angebote"),
            _("Vergangene Angebote"),
            _("Teilnehmende"),
            _("Stunden"),
            _("Außerhalb der Börse, laufend"),
            _("Außerhalb der Börse, beendet"),
            _("Ideen"),
            _("Lücke"),
        ]
    )
    for row in matrix.rows:
        for cell in row.cells:
            writer.writerow(
                [
                    _(row.field_name),
                    _(MODE_LABELS[cell.mode]),
                    cell.running,
                    cell.past,
                    cell.participants,
                    number(cell.hours, 1),
                    cell.external_running,
                    cell.external_past,
                    cell.ideas,
                    _("ja") if cell.is_gap else _("nein"),
                ]
            )
    return "\ufeff" + buffer.getvalue()  # the BOM tells Excel it is UTF-8


class InventoryController(Controller):
    path = "/verwaltung/bestandsaufnahme"
    guards = [requires_officer]  # noqa: RUF012 - Litestar reads this class attribute

    @get("/", name="inventory:matrix")
    async def matrix(self) -> Template:
        matrix = await services.matrix()
        context: dict[str, Any] = {"matrix": matrix, "mode_labels": MODE_LABELS}
        return Template(template_name="inventory/matrix.html", context=context)

    @get("/bestandsaufnahme.csv", name="inventory:csv")
    async def csv(self) -> Response:
        matrix = await services.matrix()
        return Response(
            matrix_csv(matrix),
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": 'attachment; filename="bestandsaufnahme.csv"',
                "Cache-Control": "no-store",
            },
        )

    @get("/{field_id:int}/{mode:str}", name="inventory:cell")
    async def cell(
        self, request: Request, field_id: FromPath[int], mode: FromPath[str]
    ) -> Template:
        detail = await rules.access_cell(field_id, mode)
        return _cell_page(request, detail, Form())

    @post("/{field_id:int}/{mode:str}/ideen", name="inventory:add_idea")
    async def add_idea(
        self, request: Request, field_id: FromPath[int], mode: FromPath[str]
    ) -> Template | Redirect:
        detail = await rules.access_cell(field_id, mode)
        form = await Form.from_request(request)
        text = schemas.parse_idea(form)
        if text is None:
            return _cell_page(request, detail, form, status_code=400)
        await services.add_idea(detail, text, request.user.organisation_id)
        redirect = see_other(request, "inventory:cell", "ideen", field_id=field_id, mode=mode)
        return flash(redirect, IDEA_ADDED)

    @get("/extern/neu", name="inventory:new_external")
    async def new_external(
        self,
        request: Request,
        field: FromQuery[int | None] = None,
        mode: FromQuery[str | None] = None,
    ) -> Template:
        if not rules.can_add(request.user):
            raise PermissionDeniedException()
        values = {"running": "on", "field": field or "", "mode": mode or ""}
        return await _entry_form(request, Form(values=values))

    @post("/extern/neu", name="inventory:create_external")
    async def create_external(self, request: Request) -> Template | Redirect:
        if not rules.can_add(request.user):
            raise PermissionDeniedException()
        form = await Form.from_request(request)
        data = await _parse_entry(request, form)
        if data is None:
            return await _entry_form(request, form, status_code=400)
        organisation_id = data.organisation_id or request.user.organisation_id
        await services.add_external(data, organisation_id)
        redirect = see_other(request, "inventory:cell", field_id=data.field_id, mode=data.mode)
        return flash(redirect, ADDED)

    @get("/extern/{entry_id:int}/bearbeiten", name="inventory:edit_external")
    async def edit_external(self, request: Request, entry_id: FromPath[int]) -> Template:
        entry = await rules.access_external(request.user, entry_id)
        values = {
            "name": entry.name,
            "field": entry.field_id,
            "mode": entry.mode,
            "description": entry.description,
            "running": "on" if entry.running else "",
            "organisation": entry.organisation_id,
        }
        return await _entry_form(request, Form(values=values), entry=entry)

    @post("/extern/{entry_id:int}/bearbeiten", name="inventory:update_external")
    async def update_external(
        self, request: Request, entry_id: FromPath[int]
    ) -> Template | Redirect:
        entry = await rules.access_external(request.user, entry_id)
        form = await Form.from_request(request)
        data = await _parse_entry(request, form)
        if data is None:
            return await _entry_form(request, form, entry=entry, status_code=400)
        await services.update_external(entry.id, data)
        redirect = see_other(request, "inventory:cell", field_id=data.field_id, mode=data.mode)
        return flash(redirect, SAVED)

    @post("/extern/{entry_id:int}/loeschen", name="inventory:delete_external")
    async def delete_external(self, request: Request, entry_id: FromPath[int]) -> Redirect:
        entry = await rules.access_external(request.user, entry_id)
        await services.delete_external(entry)
        redirect = see_other(request, "inventory:cell", field_id=entry.field_id, mode=entry.mode)
        return flash(redirect, DELETED)


CONTROLLERS = [InventoryController]
