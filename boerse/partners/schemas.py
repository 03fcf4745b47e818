"""Input of the admins' key form, and JSON bodies of the partner API turned into the very
`Form` the officers' pages parse, so an offer or a date is checked by one set of rules
whichever way it arrives."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from boerse.lib.db import utcnow
from boerse.lib.formatting import TOWN_TIMEZONE
from boerse.lib.forms import Form
from boerse.lib.i18n import N_
from boerse.lib.i18n import gettext as _
from boerse.partners.tables import KeyScope

DEFAULT_REQUESTS_PER_MINUTE = 120
MAX_REQUESTS_PER_MINUTE = 6000

KEY_LABELS = {
    "partner_name": N_("Name des Partners"),
    "contact": N_("Ansprechperson"),
    "organisation": N_("Organisation"),
    "scope": N_("Berechtigung"),
    "expires_on": N_("Gültig bis"),
    "requests_per_minute": N_("Anfragen pro Minute"),
}
SCOPE_LABELS = {
    KeyScope.READ.value: N_("Nur lesen"),
    KeyScope.WRITE.value: N_("Angebote und Termine der Organisation schreiben"),
}


@dataclass(frozen=True)
class KeyInput:
    partner_name: str
    contact: str
    organisation_id: int | None
    scope: str
    expires_on: dt.date | None
    requests_per_minute: int = DEFAULT_REQUESTS_PER_MINUTE


def parse_key(
    form: Form, organisation_ids: set[int], today: dt.date | None = None
) -> KeyInput | None:
    """None when something is wrong (reasons in `form.errors`). A write key needs its one
    organisation: it may change that organisation's offers and no other's."""
    form.labels = KEY_LABELS
    today = today or utcnow().astimezone(TOWN_TIMEZONE).date()
    partner_name = form.text("partner_name", required=True, max_length=150)
    contact = form.text("contact", required=True, max_length=254)
    raw_organisation = form.choice(
        "organisation", {str(i) for i in organisation_ids}, required=False
    )
    organisation_id = int(raw_organisation) if raw_organisation.isdigit() else None
    scope = form.choice("scope", list(SCOPE_LABELS))
    if (
        scope == KeyScope.WRITE.value
        and organisation_id is None
        and "organisation" not in form.errors
    ):
        form.errors["organisation"] = _(
            "Ein Schlüssel zum Schreiben gehört zu genau einer Organisation; bitte wählen Sie sie aus."
        )
    expires_on = form.date("expires_on")
    if expires_on is not None and expires_on < today:
        form.errors["expires_on"] = _("Das Datum liegt in der Vergangenheit.")
    limit = form.integer("requests_per_minute", minimum=1, maximum=MAX_REQUESTS_PER_MINUTE)
    if not form.ok:
        return None
    return KeyInput(
        partner_name=partner_name,
        contact=contact,
        organisation_id=organisation_id,
        scope=scope,
        expires_on=expires_on,
        requests_per_minute=limit or DEFAULT_REQUESTS_PER_MINUTE,
    )


# --- JSON bodies ---------------------------------------------------------------------------


def _as_form_value(value: str | int | bool | list[str] | list[int] | None) -> str | list[str]:
    """A JSON value (of the types the input Structs admit) as a form would post it."""
    if value is None or value is False:
        return ""
    if value is True:
        return "on"
    if isinstance(value, list):
        return [str(item) for item in value]
    return str(value)


def json_form(body: Mapping[str, Any], start: Mapping[str, Any] | None = None) -> Form:
    """`body` laid over `start` (the stored values, for a partial update) as a `Form`. The
    input Structs have already refused unknown fields and values of the wrong type."""
    form = Form(values=dict(start or {}))
    for name, value in body.items():
        form.values[name] = _as_form_value(value)
    return form


def date_body(body: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """A date's body with `starts_at`/`ends_at` (instants) turned into the form's local
    `date`, `starts`, `ends`, and the errors of that step by field name. The form then
    checks the result as it checks what an officer types (a rejected instant still fills
    its fields, so the form does not also call them missing)."""
    fields = {name: value for name, value in body.items() if name not in _INSTANTS}
    errors: dict[str, str] = {}
    local_days: dict[str, dt.date] = {}
    for name, covers in _INSTANTS.items():
        if name not in body:
            continue
        value = body[name]
        if any(field in fields for field in covers):
            errors[name] = _(
                "Bitte geben Sie den Termin entweder als Zeitpunkt oder als Datum und Uhrzeit an."
            )
        elif value.tzinfo is None:
            errors[name] = _(
                "Bitte geben Sie die Zeit mit Zeitzone an, z. B. 2027-05-01T10:00:00+02:00."
            )
        elif value.second or value.microsecond:
            errors[name] = _("Bitte geben Sie die Zeit auf die Minute genau an.")
        local = value.astimezone(TOWN_TIMEZONE) if value.tzinfo else value
        local_days[name] = local.date()
        if name == "starts_at":
            fields.setdefault("date", local.date().isoformat())
        fields.setdefault(covers[-1], local.strftime("%H:%M"))
    if len(local_days) == 2 and local_days["starts_at"] != local_days["ends_at"]:
        errors.setdefault("ends_at", _("Ein Termin endet am Tag seines Beginns (Ortszeit)."))
    return fields, errors


# Each instant and the form fields it stands for.
_INSTANTS = {"starts_at": ("date", "starts"), "ends_at": ("ends",)}
