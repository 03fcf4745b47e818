"""Form input of the requirements pages: typed values or errors per field, nothing saved."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from boerse.lib.forms import Form
from boerse.lib.i18n import N_
from boerse.lib.i18n import gettext as _
from boerse.requirements import validity
from boerse.requirements.services import CERTIFICATE

RESULT_CLEAR = "clear"
RESULT_ENTRIES = "entries"
RESULTS = (
    (RESULT_CLEAR, N_("ohne Einträge (oder ohne einschlägige Einträge)")),
    (RESULT_ENTRIES, N_("mit einschlägigen Einträgen nach § 72a Abs. 1 SGB VIII")),
)


def parse_kinds(form: Form, allowed: set[int]) -> set[int] | None:
    """The ticked requirements: "certificate" and qualification ids from `allowed`."""
    kinds = {CERTIFICATE} if form.checkbox("certificate") else set()
    for raw in form.many("qualifications"):
        if not raw.isdigit() or int(raw) not in allowed:
            form.errors["qualifications"] = _("Bitte wählen Sie einen Eintrag aus der Liste.")
            return None
        kinds.add(int(raw))
    return kinds


@dataclass(frozen=True)
class CertificateInput:
    issued_on: dt.date
    relevant_entries: bool


def parse_certificate(form: Form, today: dt.date) -> CertificateInput | None:
    form.labels.update({"issued_on": N_("Ausstellungsdatum"), "result": N_("Ergebnis")})
    issued_on = form.date("issued_on", required=True)
    result = form.choice("result", {RESULT_CLEAR, RESULT_ENTRIES})
    if issued_on and issued_on > today:
        form.errors["issued_on"] = _("Das Ausstellungsdatum kann nicht in der Zukunft liegen.")
    elif issued_on and validity.certificate_last_day(issued_on) < today:
        form.errors["issued_on"] = _(
            "Dieses Führungszeugnis ist älter als fünf Jahre und zählt nicht mehr. Bitten Sie "
            "die Person um ein neues."
        )
    if not form.ok or issued_on is None:
        return None
    return CertificateInput(issued_on, result == RESULT_ENTRIES)


@dataclass(frozen=True)
class QualificationInput:
    qualification_id: int
    valid_until: dt.date | None


def parse_qualification(form: Form, allowed: set[int], today: dt.date) -> QualificationInput | None:
    form.labels.update({"qualification": N_("Qualifikation"), "valid_until": N_("Gültig bis")})
    raw = form.choice("qualification", {str(i) for i in allowed})
    valid_until = form.date("valid_until")
    if valid_until and valid_until < today:
        form.errors["valid_until"] = _("Dieser Nachweis ist schon abgelaufen.")
    if not form.ok:
        return None
    return QualificationInput(int(raw), valid_until)


# What an officer records after seeing it: a certificate of good conduct or a qualification.
Proof = CertificateInput | QualificationInput


def parse_new_qualification(form: Form) -> str | None:
    form.labels["name"] = N_("Bezeichnung")
    name = form.text("name", required=True, max_length=120)
    return name if form.ok else None
