"""Form input of the engagement pages: a report of hours, an officer's decision, a period.

Every limit becomes a German message next to its field, and the form keeps what was typed."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from boerse.lib.forms import Form
from boerse.lib.i18n import N_
from boerse.lib.i18n import gettext as _

HOURS_PER_DAY = 24
NOTE_LENGTH = 300
REASON_LENGTH = 500

CONFIRM = "confirm"
CORRECT = "correct"
REJECT = "reject"
DECISIONS = {
    CONFIRM: N_("Bestätigen"),
    CORRECT: N_("Mit anderen Stunden bestätigen"),
    REJECT: N_("Ablehnen"),
}

LAST_YEAR = "last_year"
THIS_YEAR = "this_year"
CUSTOM = "custom"


@dataclass(frozen=True)
class ReportInput:
    opportunity_id: int
    first_day: dt.date
    last_day: dt.date
    hours: float
    note: str


@dataclass(frozen=True)
class Decision:
    decision: str
    hours: float | None
    reason: str


def _hours(form: Form, name: str, days: int | None) -> float | None:
    """Positive, at most 24 a day of the period (`days` None: the period is not known yet)."""
    raw = str(form.values.get(name) or "").strip().replace(",", ".")
    if not raw:
        form.errors[name] = _("Bitte geben Sie die Stunden ein, zum Beispiel 2,5.")
        return None
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        form.errors[name] = _("Bitte geben Sie die Stunden als Zahl ein, zum Beispiel 2,5.")
        return None
    if value <= 0:
        form.errors[name] = _("Bitte geben Sie mehr als 0 Stunden ein.")
        return None
    if days is not None and value > HOURS_PER_DAY * days:
        if days == 1:
            form.errors[name] = _("An einem Tag sind höchstens 24 Stunden möglich.")
        else:
            form.errors[name] = _(
                "In {days} Tagen sind höchstens {hours} Stunden möglich (24 Stunden am Tag)."
            ).format(days=days, hours=HOURS_PER_DAY * days)
        return None
    return round(value, 2)


def parse_report(form: Form, today: dt.date, opportunity_ids: set[int]) -> ReportInput | None:
    """A report of hours: an offer the person takes part in, a day or a period within one
    calendar year that is not in the future, positive hours of at most 24 a day."""
    form.labels.update(
        opportunity=N_("Angebot"),
        first_day=N_("Datum oder erster Tag"),
        last_day=N_("Letzter Tag"),
        hours=N_("Stunden"),
        note=N_("Kurze Beschreibung"),
    )
    choice = form.choice("opportunity", {str(i) for i in opportunity_ids})
    if "opportunity" in form.errors:
        form.errors["opportunity"] = _("Bitte wählen Sie das Angebot, für das Sie Stunden melden.")
    first_day = form.date("first_day", required=True)
    last_day = form.date("last_day") or first_day
    days = None
    if first_day and last_day and "last_day" not in form.errors:
        if last_day < first_day:
            form.errors["last_day"] = _("Der letzte Tag liegt vor dem ersten Tag.")
        elif last_day > today:
            field = "last_day" if form.values.get("last_day") else "first_day"
            form.errors[field] = _(
                "Das Datum liegt in der Zukunft. Bitte melden Sie Stunden, wenn sie geleistet sind."
            )
        elif last_day.year != first_day.year:
            form.errors["last_day"] = _(
                "Bitte melden Sie Stunden für jedes Kalenderjahr einzeln: Der Zeitraum reicht "
                "über den Jahreswechsel."
            )
        else:
            days = (last_day - first_day).days + 1
    hours = _hours(form, "hours", days)
    note = form.text("note", max_length=NOTE_LENGTH)
    if not form.ok or first_day is None or last_day is None or hours is None:
        return None
    return ReportInput(int(choice), first_day, last_day, hours, note)


def parse_decision(form: Form, days: int) -> Decision | None:
    """Confirm as reported; correct (other hours and a reason the resident sees); reject (a
    reason)."""
    form.labels.update(
        decision=N_("Entscheidung"), hours=N_("Bestätigte Stunden"), reason=N_("Begründung")
    )
    decision = form.choice("decision", set(DECISIONS))
    hours = None
    if decision == CORRECT:
        hours = _hours(form, "hours", days)
    reason = form.text("reason", max_length=REASON_LENGTH)
    if decision in {CORRECT, REJECT} and not reason:
        form.errors["reason"] = _(
            "Bitte begründen Sie die Änderung oder Ablehnung: Die Person sieht Ihre Begründung."
        )
    if not form.ok:
        return None
    return Decision(decision, hours, reason)


def parse_period(form: Form, today: dt.date) -> tuple[dt.date, dt.date] | None:
    form.labels.update(
        period=N_("Zeitraum"), period_start=N_("Von"), period_end=N_("Bis einschließlich")
    )
    period = form.choice("period", {LAST_YEAR, THIS_YEAR, CUSTOM})
    if period == LAST_YEAR:
        return dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31)
    if period == THIS_YEAR:
        return dt.date(today.year, 1, 1), today
    if period != CUSTOM:
        return None
    start = form.date("period_start", required=True)
    end = form.date("period_end", required=True)
    if start and end:
        if end < start:
            form.errors["period_end"] = _("Das Ende des Zeitraums liegt vor seinem Beginn.")
        elif end > today:
            form.errors["period_end"] = _("Der Zeitraum darf nicht in der Zukunft enden.")
    if not form.ok or start is None or end is None:
        return None
    return start, end
