"""Form parsing of a reply: every problem becomes a message next to its field."""

from __future__ import annotations

from boerse.lib.forms import Form
from boerse.lib.i18n import N_
from boerse.lib.i18n import gettext as _
from boerse.replies.services import STATUS_LABELS, ReplyData

TEXT_LIMIT = 5000
FIELD_LABELS = {
    "title": N_("Überschrift"),
    "learned": N_("Was wir erfahren haben"),
    "changes": N_("Was sich ändert"),
    "status": N_("Stand"),
    "status_date": N_("Datum des Stands"),
}


def parse_reply(form: Form) -> ReplyData | None:
    """All fields checked before anything is written; None when any is wrong."""
    form.labels.update(FIELD_LABELS)
    title = form.text("title", required=True, max_length=150)
    learned = form.text("learned", required=True, max_length=TEXT_LIMIT)
    changes = form.text("changes", required=True, max_length=TEXT_LIMIT)
    status = form.text("status", required=True, max_length=20)
    if status and status not in STATUS_LABELS:
        form.errors["status"] = _("Bitte wählen Sie einen Stand aus der Liste.")
    status_date = form.date("status_date")
    if not form.ok:
        return None
    return ReplyData(title, learned, changes, status, status_date)
