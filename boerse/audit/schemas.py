"""The audit page's filter form: query parameters arrive as strings and become an AuditFilter."""

from __future__ import annotations

from collections.abc import Mapping

from boerse.audit.actions import ACTION_LABELS
from boerse.audit.services import AuditFilter
from boerse.lib.forms import Form
from boerse.lib.i18n import N_
from boerse.lib.i18n import gettext as _

FILTER_NAMES = ("person", "aktion", "von", "bis")
FILTER_LABELS = {
    "person": N_("Person"),
    "aktion": N_("Aktion"),
    "von": N_("Von"),
    "bis": N_("Bis"),
}


def parse_filter(query: Mapping[str, str]) -> tuple[Form, AuditFilter]:
    """The form (typed values and errors) and the filter built from its valid fields."""
    form = Form(
        values={name: query.get(name, "") for name in FILTER_NAMES}, labels=dict(FILTER_LABELS)
    )
    actor_id = form.integer("person", minimum=1, maximum=2**31 - 1)
    action = form.choice("aktion", set(ACTION_LABELS), required=False)
    date_from = form.date("von")
    date_to = form.date("bis")
    if date_from and date_to and date_to < date_from:
        form.errors["bis"] = _("Das Ende des Zeitraums liegt vor seinem Anfang.")
    if not form.ok:
        return form, AuditFilter()
    return form, AuditFilter(actor_id, action, date_from, date_to)
