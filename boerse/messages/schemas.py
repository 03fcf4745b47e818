"""Form parsing of a message: every problem becomes a German message next to its field."""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from typing import Any

from boerse.lib.formatting import number
from boerse.lib.forms import Form
from boerse.lib.i18n import N_
from boerse.lib.i18n import gettext as _
from boerse.messages.services import Draft
from boerse.messages.tables import Audience

SUBJECT_LIMIT = 120
BODY_LIMIT = 10_000
"""About four pages of text: a message, not a newsletter; keeps every mail small."""
_KEY = re.compile(r"^[A-Za-z0-9_-]{16,40}$")

FIELD_LABELS = {
    "audience": N_("Empfängerinnen und Empfänger"),
    "session": N_("Termin"),
    "subject": N_("Betreff"),
    "body": N_("Nachricht"),
}


def new_send_key() -> str:
    return secrets.token_urlsafe(18)


def send_key_of(form: Form) -> str:
    """The form's one-time key; a missing or odd one is replaced (the form then sends once
    more at most, which is what a fresh form would do)."""
    key = str(form.values.get("key") or "")
    if not _KEY.match(key):
        key = new_send_key()
        form.values["key"] = key
    return key


def parse_message(form: Form, dates: Sequence[dict[str, Any]]) -> Draft | None:
    """All fields checked before anything is sent; None when any is wrong. `dates` are the
    opportunity's sessions: a chosen date must be one of them."""
    form.labels.update(FIELD_LABELS)
    audience = form.choice("audience", [a.value for a in Audience])
    session_id = _session(form, dates, required=audience == Audience.SESSION.value)
    subject = str(form.values.get("subject") or "").strip()
    if not subject:
        form.errors["subject"] = _("Bitte geben Sie einen Betreff ein.")
    elif len(subject) > SUBJECT_LIMIT:
        form.errors["subject"] = _("Der Betreff ist zu lang: höchstens {n} Zeichen.").format(
            n=SUBJECT_LIMIT
        )
    elif "\n" in subject or "\r" in subject:
        form.errors["subject"] = _("Der Betreff muss in eine Zeile passen.")
    body = str(form.values.get("body") or "").strip()
    if not body:
        form.errors["body"] = _("Bitte schreiben Sie Ihre Nachricht.")
    elif len(body) > BODY_LIMIT:
        form.errors["body"] = _(
            "Die Nachricht ist zu lang: höchstens {n} Zeichen, Sie haben {m} geschrieben."
        ).format(n=number(BODY_LIMIT, 0), m=number(len(body), 0))
    key = send_key_of(form)
    if not form.ok:
        return None
    if audience == Audience.UPCOMING.value:
        session_id = None  # every date still ahead, whatever the date field says
    return Draft(audience, session_id, subject, body, key)


def _session(form: Form, dates: Sequence[dict[str, Any]], *, required: bool) -> int | None:
    raw = str(form.values.get("session") or "").strip()
    if not raw:
        if required:
            form.errors["session"] = _(
                "Bitte wählen Sie den Termin, an dessen Angemeldete die Nachricht geht."
            )
        return None
    ids = {row["id"] for row in dates}
    if not raw.isdigit() or int(raw) not in ids:
        form.errors["session"] = _("Bitte wählen Sie einen Termin aus der Liste.")
        return None
    return int(raw)
