"""Parsing the goal forms: values as typed, errors per field, nothing half valid."""

from __future__ import annotations

from dataclasses import dataclass

from boerse.lib.forms import Form
from boerse.lib.i18n import N_
from boerse.lib.i18n import gettext as _


@dataclass(frozen=True)
class GoalInput:
    title: str
    description: str
    parent_id: int | None
    field_id: int | None
    position: int


GOAL_LABELS = {
    "title": N_("Titel"),
    "description": N_("Beschreibung"),
    "parent": N_("Übergeordnetes Ziel"),
    "field": N_("Handlungsfeld"),
    "position": N_("Reihenfolge"),
}


def _optional_id(form: Form, name: str, allowed: set[int]) -> int | None:
    raw = str(form.values.get(name, "") or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or int(raw) not in allowed:
        form.errors[name] = _("Bitte wählen Sie einen Eintrag aus der Liste.")
        return None
    return int(raw)


def parse_goal(
    form: Form, parents: set[int], fields: set[int], *, has_subs: bool = False
) -> GoalInput | None:
    """A main goal that has sub-goals cannot become a sub-goal itself (two levels only)."""
    form.labels = GOAL_LABELS
    title = form.text("title", required=True, max_length=200)
    description = form.text("description", max_length=4000).replace("\r\n", "\n")
    parent_id = _optional_id(form, "parent", parents)
    if parent_id is not None and has_subs:
        form.errors["parent"] = _(
            "Dieses Ziel hat Unterziele und kann darum nicht selbst ein Unterziel sein."
        )
    field_id = _optional_id(form, "field", fields)
    position = form.integer("position", minimum=0, maximum=999)
    if not form.ok:
        return None
    return GoalInput(title, description, parent_id, field_id, position or 0)


def parse_goal_ids(form: Form, name: str, allowed: set[int]) -> list[int] | None:
    """Ticked goals; None (with an error) when one is not offered."""
    raw = form.many(name)
    if any(not value.isdigit() or int(value) not in allowed for value in raw):
        form.errors[name] = _("Bitte wählen Sie nur Ziele aus der Liste.")
        return None
    return sorted({int(value) for value in raw})
