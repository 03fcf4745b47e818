"""The edit form of a legal page."""

from __future__ import annotations

from boerse.legal.services import MAX_BODY_LENGTH
from boerse.lib.forms import Form
from boerse.lib.i18n import N_

BODY_LABEL = N_("Text (Markdown)")
PREVIEW = "preview"


def legal_text(form: Form) -> str:
    form.labels["body"] = BODY_LABEL
    return form.text("body", required=True, max_length=MAX_BODY_LENGTH)


def wants_preview(form: Form) -> bool:
    """The form has two buttons: show a preview (nothing is saved) or save."""
    return form.values.get("action") == PREVIEW
