"""Form parsing of the inventory: an entry outside the Börse and an idea for a cell. Every
problem becomes a message on the form, so the page comes back with what was typed."""

from __future__ import annotations

from boerse.inventory.services import MODES, ExternalInput
from boerse.lib.forms import Form
from boerse.lib.i18n import N_
from boerse.lib.i18n import gettext as _

NAME_MAX_LENGTH = 150
DESCRIPTION_MAX_LENGTH = 1000
IDEA_MAX_LENGTH = 2000

FIELD_LABELS = {
    "name": N_("Name"),
    "field": N_("Handlungsfeld"),
    "mode": N_("Mitmach-Art"),
    "description": N_("Kurze Beschreibung"),
    "running": N_("Läuft zurzeit"),
    "organisation": N_("Organisation"),
    "text": N_("Idee"),
}


def parse_external(
    form: Form, *, field_ids: set[int], organisations: set[int] | None
) -> ExternalInput | None:
    """`organisations` are those an administrator may choose from (None for officers, who
    enter for their own)."""
    form.labels.update(FIELD_LABELS)
    name = form.text("name", required=True, max_length=NAME_MAX_LENGTH)
    field_id = form.integer("field", required=True)
    if field_id is not None and field_id not in field_ids:
        form.errors["field"] = _("Bitte wählen Sie einen Eintrag aus der Liste.")
    mode = form.choice("mode", MODES)
    description = form.text("description", max_length=DESCRIPTION_MAX_LENGTH)
    running = form.checkbox("running")
    organisation_id = None
    if organisations is not None:
        organisation_id = form.integer("organisation", required=True)
        if organisation_id is not None and organisation_id not in organisations:
            form.errors["organisation"] = _("Bitte wählen Sie einen Eintrag aus der Liste.")
    if not form.ok or field_id is None:
        return None
    return ExternalInput(
        name=name,
        field_id=field_id,
        mode=mode,
        description=description,
        running=running,
        organisation_id=organisation_id,
    )


def parse_idea(form: Form) -> str | None:
    form.labels.update(FIELD_LABELS)
    text = form.text("text", required=True, max_length=IDEA_MAX_LENGTH)
    return text if form.ok else None
