"""Form parsing for assessments: the campaign form and the pasted list of addresses.

Both validate everything before anything is written and leave every problem as a message on
the form, so the page comes back with what was typed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from boerse.assessments.tables import AssessmentAccess
from boerse.lib.formatting import TOWN_TIMEZONE
from boerse.lib.forms import EMAIL_PATTERN, Form
from boerse.lib.i18n import N_
from boerse.lib.i18n import gettext as _

TITLE_MAX_LENGTH = 150
DESCRIPTION_MAX_LENGTH = 3000
BLANK_SOURCE = "blank"
"""The source choice "start with an empty questionnaire"."""
MAX_ADDRESSES = 500
"""Addresses per paste: a class or a youth centre's visitors, not a mailing list."""
ADDRESSES_MAX_LENGTH = MAX_ADDRESSES * 80
LONGEST_PERIOD_DAYS = 366

FIELD_LABELS = {
    "title": N_("Titel"),
    "description": N_("Beschreibung"),
    "source": N_("Fragebogen"),
    "opens_on": N_("Beginn"),
    "closes_on": N_("Ende"),
    "access": N_("Wer darf antworten?"),
    "organisation": N_("Organisation"),
    "addresses": N_("E-Mail-Adressen"),
}


@dataclass(frozen=True)
class AssessmentInput:
    title: str
    description: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    """Midnight (town time) after the last day: the period includes its last day."""
    access: str = AssessmentAccess.ACCOUNT.value
    source: str = BLANK_SOURCE
    """`blank` or the id of the questionnaire to copy (checked against the offered ones)."""
    organisation_id: int | None = None


def local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=TOWN_TIMEZONE).astimezone(dt.UTC)


def _period(form: Form, today: dt.date, creating: bool) -> tuple[dt.datetime, dt.datetime] | None:
    opens_on = form.date("opens_on", required=True)
    closes_on = form.date("closes_on", required=True)
    if opens_on is None or closes_on is None:
        return None
    if closes_on < opens_on:
        form.errors["closes_on"] = _("Das Ende darf nicht vor dem Beginn liegen.")
        return None
    if creating and closes_on < today:
        form.errors["closes_on"] = _("Das Ende darf nicht in der Vergangenheit liegen.")
        return None
    if (closes_on - opens_on).days > LONGEST_PERIOD_DAYS:
        form.errors["closes_on"] = _("Eine Bewertung läuft höchstens ein Jahr.")
        return None
    return local_midnight(opens_on), local_midnight(closes_on + dt.timedelta(days=1))


def parse_assessment(
    form: Form,
    *,
    today: dt.date,
    sources: set[str] | None,
    organisations: set[int] | None,
) -> AssessmentInput | None:
    """The campaign form. `sources` are the questionnaire choices offered (None when
    editing: the questionnaire is chosen once); `organisations` the ones an administrator
    may choose from (None for officers, who create for their own)."""
    form.labels.update(FIELD_LABELS)
    title = form.text("title", required=True, max_length=TITLE_MAX_LENGTH)
    description = form.text("description", max_length=DESCRIPTION_MAX_LENGTH)
    access = form.choice("access", [access.value for access in AssessmentAccess])
    source = form.choice("source", sources) if sources is not None else BLANK_SOURCE
    organisation_id = None
    if organisations is not None:
        organisation_id = form.integer("organisation", required=True)
        if organisation_id is not None and organisation_id not in organisations:
            form.errors["organisation"] = _("Bitte wählen Sie einen Eintrag aus der Liste.")
    period = _period(form, today, creating=sources is not None)
    if not form.ok or period is None:
        return None
    return AssessmentInput(
        title=title,
        description=description,
        opens_at=period[0],
        closes_at=period[1],
        access=access,
        source=source,
        organisation_id=organisation_id,
    )


@dataclass(frozen=True)
class AddressList:
    addresses: tuple[str, ...]
    """Valid, lower-cased, each once, in the order pasted."""
    duplicates: int
    """Lines that repeated an address already in the list."""


def parse_addresses(form: Form) -> AddressList | None:
    """One address per line (commas and semicolons work too). Any invalid address stops
    the whole list, and the message names them, so the officer fixes the paste and sends
    once; repeated addresses are sent once and counted."""
    form.labels.update(FIELD_LABELS)
    raw = str(form.values.get("addresses") or "")
    if len(raw) > ADDRESSES_MAX_LENGTH:
        form.errors["addresses"] = _("Bitte höchstens {n} Adressen auf einmal.").format(
            n=MAX_ADDRESSES
        )
        return None
    items = [item.strip().lower() for item in raw.replace(",", "\n").replace(";", "\n").split()]
    items = [item for item in items if item]
    if not items:
        form.errors["addresses"] = _("Bitte geben Sie mindestens eine E-Mail-Adresse ein.")
        return None
    invalid = [item for item in items if len(item) > 254 or not EMAIL_PATTERN.match(item)]
    if invalid:
        form.errors["addresses"] = _(
            "Diese Einträge sind keine gültigen E-Mail-Adressen: {items}"
        ).format(items=", ".join(dict.fromkeys(invalid)))
        return None
    unique = tuple(dict.fromkeys(items))
    if len(unique) > MAX_ADDRESSES:
        form.errors["addresses"] = _("Bitte höchstens {n} Adressen auf einmal.").format(
            n=MAX_ADDRESSES
        )
        return None
    return AddressList(unique, duplicates=len(items) - len(unique))
