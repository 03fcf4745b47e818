"""The evaluation dashboard's query (`?nach=…&von=…&bis=…`): parsed into a typed request or
into messages next to the filter fields.

The filter form is a GET form, so a dashboard can be bookmarked, sent by mail and printed
as it is; whatever is typed into the address bar comes here too, and a bad value must give
the form back with a message (status 400), never a server error."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

from boerse.dashboards.figures import Dimension, Period, add_months, month_start
from boerse.lib.forms import Form
from boerse.lib.i18n import N_
from boerse.lib.i18n import gettext as _
from boerse.opportunities.labels import MODE_LABELS

DEFAULT_MONTHS = 12
MAX_MONTHS = 60
"""Five years: a longer span is not a trend anyone reads month by month."""
MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")

DIMENSION_LABELS: dict[Dimension, str] = {
    Dimension.FIELD: N_("Handlungsfeld"),
    Dimension.MODE: N_("Mitmach-Art"),
    Dimension.GOAL: N_("Wirkungsziel"),
    Dimension.OPPORTUNITY: N_("Angebot"),
}

FIELD_LABELS = {
    "nach": N_("Auswerten nach"),
    "von": N_("Von (Monat)"),
    "bis": N_("Bis (Monat)"),
    "handlungsfeld": N_("Handlungsfeld"),
    "modus": N_("Mitmach-Art"),
    "ziel": N_("Wirkungsziel"),
    "organisation": N_("Organisation"),
}


@dataclass(frozen=True)
class FilterChoices:
    """The options of the filter form; ids outside them are refused with a message."""

    fields: list[tuple[int, str]]
    goals: list[tuple[int, str]]
    organisations: list[tuple[int, str]]
    """Every organisation for administrators; the officer's own (for the page's heading)."""

    @property
    def modes(self) -> list[tuple[str, str]]:
        return [(mode, _(label)) for mode, label in MODE_LABELS.items()]

    @property
    def dimensions(self) -> list[tuple[str, str]]:
        return [(dimension.value, _(label)) for dimension, label in DIMENSION_LABELS.items()]


@dataclass(frozen=True)
class DashboardQuery:
    dimension: Dimension
    period: Period
    field_id: int | None = None
    mode: str | None = None
    goal_id: int | None = None
    organisation_id: int | None = None

    def params(self, **changes: object) -> dict[str, str]:
        """The query string of this view (for the CSV link and the drill-down links), with
        `changes` applied (None removes a filter)."""
        values: dict[str, object] = {
            "nach": self.dimension.value,
            "von": f"{self.period.first:%Y-%m}",
            "bis": f"{self.period.last:%Y-%m}",
            "handlungsfeld": self.field_id,
            "modus": self.mode,
            "ziel": self.goal_id,
            "organisation": self.organisation_id,
        }
        values.update(changes)
        return {key: str(value) for key, value in values.items() if value not in (None, "")}


def _month(form: Form, name: str) -> dt.date | None:
    raw = str(form.values.get(name) or "").strip()
    if not raw:
        return None
    match = MONTH_PATTERN.match(raw)
    if match and 1 <= int(match[2]) <= 12 and int(match[1]) >= 2000:
        return dt.date(int(match[1]), int(match[2]), 1)
    form.errors[name] = _("Bitte geben Sie den Monat als JJJJ-MM ein, z. B. 2026-05.")
    return None


def _choice_id(form: Form, name: str, options: list[tuple[int, str]]) -> int | None:
    raw = str(form.values.get(name) or "").strip()
    if not raw:
        return None
    allowed = {str(option_id): option_id for option_id, _label in options}
    if raw not in allowed:
        form.errors[name] = _("Bitte wählen Sie einen Eintrag aus der Liste.")
        return None
    return allowed[raw]


def parse_query(
    query: Mapping[str, str], choices: FilterChoices, today: dt.date, *, is_admin: bool
) -> tuple[Form, DashboardQuery | None]:
    """The form with what was given (defaults filled in for the fields left empty) and the
    query, or None with the errors. Without months: the last twelve up to this one."""
    values = {key: str(query.get(key, "")).strip() for key in FIELD_LABELS}
    form = Form(values=values, labels=dict(FIELD_LABELS))
    dimension = form.choice("nach", [d.value for d in Dimension], required=False)
    first, last = _month(form, "von"), _month(form, "bis")
    mode = form.choice("modus", list(MODE_LABELS), required=False)
    field_id = _choice_id(form, "handlungsfeld", choices.fields)
    goal_id = _choice_id(form, "ziel", choices.goals)
    organisation_id = _choice_id(form, "organisation", choices.organisations) if is_admin else None
    if not is_admin and values["organisation"]:
        # Officers see their own organisation: the rules refuse any other one.
        organisation_id = int(values["organisation"]) if values["organisation"].isdigit() else -1
    if "von" not in form.errors and "bis" not in form.errors:
        last = last or (add_months(first, DEFAULT_MONTHS - 1) if first else month_start(today))
        first = first or add_months(last, 1 - DEFAULT_MONTHS)
        if last < first:
            form.errors["bis"] = _("Der Monat „bis“ darf nicht vor dem Monat „von“ liegen.")
        elif len(Period(first, last).months) > MAX_MONTHS:
            form.errors["bis"] = _("Bitte wählen Sie höchstens {n} Monate.").format(n=MAX_MONTHS)
        else:
            form.values["von"], form.values["bis"] = f"{first:%Y-%m}", f"{last:%Y-%m}"
    form.values["nach"] = dimension or Dimension.FIELD.value
    if not form.ok or first is None or last is None:
        return form, None
    return form, DashboardQuery(
        dimension=Dimension(dimension or Dimension.FIELD.value),
        period=Period(first, last),
        field_id=field_id,
        mode=mode or None,
        goal_id=goal_id,
        organisation_id=organisation_id,
    )
