"""The potential page (Potenzialeinschätzung) for officers and administrators: supply and
demand of hours per field of action and district, as a page and as CSV, filtered by field."""

from __future__ import annotations

import csv
import io

from litestar import Controller, Request, get
from litestar.params import FromQuery
from litestar.response import Response, Template

from boerse.accounts.guards import requires_officer
from boerse.inventory import rules
from boerse.inventory.potential import (
    NEEDS_SHOWN,
    NO_POSTCODE,
    ONLINE,
    Assessment,
    DistrictRow,
    PotentialTable,
    potential_table,
)
from boerse.lib.formatting import number
from boerse.lib.forms import Form
from boerse.lib.i18n import N_
from boerse.lib.i18n import gettext as _

ASSESSMENT_LABELS = {
    Assessment.SURPLUS: N_("Angebot übersteigt Bedarf"),
    Assessment.UNMET: N_("Bedarf ungedeckt"),
    Assessment.BALANCED: N_("ausgeglichen"),
    Assessment.WITHHELD: N_("nicht ausgewiesen"),
}


def district_label(district: str | None) -> str:
    if district is None:
        return _("Alle Gebiete")
    if district == ONLINE:
        return _("online")
    if district == NO_POSTCODE:
        return _("ohne PLZ")
    return district


def _field_id(value: str) -> int | None:
    """The filter's field; anything else shows every field (a GET form, no error page)."""
    return int(value) if value.isdigit() else None


def potential_csv(table: PotentialTable) -> str:
    """One line per field and district plus each field's total (long format, as the
    inventory's CSV); withheld figures read "weniger als N", never a number."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(
        [
            _("Handlungsfeld"),
            _("Gebiet"),
            _("Interessierte"),
            _("Angebot (Std./Monat)"),
            _("Bedarf (Std./Monat)"),
            _("Offene Plätze"),
            _("Saldo (Std./Monat)"),
            _("Einschätzung"),
        ]
    )
    fewer = _("weniger als %(num)s") % {"num": table.min_group}

    def line(name: str, row: DistrictRow) -> list[str]:
        if row.is_online:
            residents, supply, balance = "", "", ""
        elif row.is_withheld:
            residents = fewer if row.small else _("nicht ausgewiesen")
            supply, balance = "", ""
        else:
            residents = str(row.residents)
            supply = number(row.supply_hours or 0, 1)
            balance = number(row.balance or 0, 1)
        return [
            _(name),
            district_label(row.district),
            residents,
            supply,
            number(row.demand_hours, 1),
            str(row.open_places),
            balance,
            _(ASSESSMENT_LABELS[row.assessment]),
        ]

    for potential in table.fields:
        for row in potential.districts:
            writer.writerow(line(potential.field_name, row))
        writer.writerow(line(potential.field_name, potential.total))
    return "\ufeff" + buffer.getvalue()  # the BOM tells Excel it is UTF-8


class PotentialController(Controller):
    path = "/verwaltung/potenzial"
    guards = [requires_officer]  # noqa: RUF012 - Litestar reads this class attribute

    @get("/", name="inventory:potential")
    async def potential(self, request: Request, feld: FromQuery[str] = "") -> Template:
        table = await potential_table(_field_id(feld))
        context = {
            "table": table,
            "labels": ASSESSMENT_LABELS,
            "district_label": district_label,
            "needs_shown": NEEDS_SHOWN,
            "form": Form(values={"feld": table.selected_field or ""}),
            "linked": {
                need.opportunity_id
                for need in table.needs
                if rules.can_see_candidates(request.user, need.organisation_id)
            },
        }
        return Template(template_name="inventory/potential.html", context=context)

    @get("/potenzial.csv", name="inventory:potential_csv")
    async def csv(self, feld: FromQuery[str] = "") -> Response:
        table = await potential_table(_field_id(feld))
        return Response(
            potential_csv(table),
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": 'attachment; filename="potenzial.csv"',
                "Cache-Control": "no-store",
            },
        )


CONTROLLERS = [PotentialController]
