"""Input of the questionnaire builder's forms, converted and checked here.

Every problem becomes a message next to its field; nothing reaches a service unless the
whole form is valid. Lengths follow the columns in `tables.py`, so no write can fail on a
value that passed."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from boerse.lib.forms import Form
from boerse.lib.i18n import N_
from boerse.lib.i18n import gettext as _
from boerse.questionnaires.kinds import CHOICE_KINDS, KIND_LABELS, Option, QuestionKind
from boerse.questionnaires.model import QuestionRow, StopRow
from boerse.questionnaires.tables import QuestionnaireKind

TITLE_MAX = 150
INTRO_MAX = 2000
QUESTION_TEXT_MAX = 300
HELP_MAX = 1000
SECTION_MAX = 150
OPTION_LABEL_MAX = 200
MAX_OPTIONS = 30
MAX_PAGE = 50
STOP_NAME_MAX = 150
STOP_ADDRESS_MAX = 200
MAX_REMINDERS = 5
MAX_REMINDER_DAY = 60
NUMBER_LIMIT = 1_000_000_000
SCALE_KINDS = frozenset({QuestionKind.AGREEMENT, QuestionKind.RATING})
"""Kinds that may offer "weiß nicht"."""
OPTION_KINDS = CHOICE_KINDS | {QuestionKind.PLACE}
"""Kinds whose options the officer writes (for a place question, optional places to pick)."""

QUESTIONNAIRE_KIND_LABELS: dict[str, str] = {
    QuestionnaireKind.SURVEY: N_("Umfrage"),
    QuestionnaireKind.WALK_AUDIT: N_("Begehung"),
}

SETTINGS_LABELS = {
    "title": N_("Titel"),
    "intro": N_("Einleitung"),
    "kind": N_("Art"),
    "reminder_days": N_("Erinnerungen"),
}
QUESTION_LABELS = {
    "kind": N_("Fragetyp"),
    "text": N_("Frage"),
    "help": N_("Hilfetext"),
    "page": N_("Seite"),
    "section": N_("Abschnitt"),
    "options": N_("Antwortmöglichkeiten"),
    "min_value": N_("Kleinster Wert"),
    "max_value": N_("Größter Wert"),
}
STOP_LABELS = {
    "name": N_("Name der Station"),
    "address": N_("Adresse oder Beschreibung"),
    "latitude": N_("Breitengrad"),
    "longitude": N_("Längengrad"),
}
COPY_TARGETS: dict[str, str] = {
    "questionnaire": N_("Fragebogen Ihrer Organisation"),
    "own_template": N_("Vorlage Ihrer Organisation"),
    "town_template": N_("Stadtweite Vorlage"),
}
"""What "Vorlage kopieren" (or a new empty questionnaire) makes: a questionnaire of the
organisation, one of its own templates, or (administrators) a town-wide template."""
NEW_LABELS = {"title": N_("Titel"), "kind": N_("Art"), "target": N_("Anlegen als")}


@dataclass(frozen=True)
class NewQuestionnaireInput:
    title: str
    kind: str
    target: str


@dataclass(frozen=True)
class SettingsInput:
    title: str
    intro: str
    kind: str
    reminder_days: str
    """Normalised: ascending days, comma-separated, empty for no reminders."""


@dataclass(frozen=True)
class QuestionInput:
    kind: str
    text: str
    help: str
    required: bool
    page: int
    section: str
    option_labels: tuple[str, ...]
    allow_dont_know: bool
    per_stop: bool
    min_value: float | None
    max_value: float | None


@dataclass(frozen=True)
class StopInput:
    name: str
    address: str
    latitude: float | None
    longitude: float | None


def _multiline(form: Form, name: str, max_length: int) -> str:
    """Browsers post CRLF; stored texts use LF."""
    return form.text(name, max_length=max_length).replace("\r\n", "\n")


def parse_new(form: Form, targets: Sequence[str]) -> NewQuestionnaireInput | None:
    """An empty questionnaire; `targets` are what this person may create (COPY_TARGETS)."""
    form.labels = NEW_LABELS
    title = form.text("title", required=True, max_length=TITLE_MAX)
    kind = form.choice("kind", list(QUESTIONNAIRE_KIND_LABELS))
    target = form.choice("target", list(targets))
    if not form.ok:
        return None
    return NewQuestionnaireInput(title=title, kind=kind, target=target)


def parse_settings(form: Form) -> SettingsInput | None:
    form.labels = SETTINGS_LABELS
    title = form.text("title", required=True, max_length=TITLE_MAX)
    intro = _multiline(form, "intro", INTRO_MAX)
    kind = form.choice("kind", list(QUESTIONNAIRE_KIND_LABELS))
    reminder_days = _reminder_days(form)
    if not form.ok:
        return None
    return SettingsInput(title=title, intro=intro, kind=kind, reminder_days=reminder_days)


def _reminder_days(form: Form) -> str:
    raw = form.text("reminder_days", max_length=40)
    parts = [part for part in re.split(r"[,;\s]+", raw) if part]
    if not all(part.isdigit() for part in parts):
        form.errors["reminder_days"] = _(
            "Bitte geben Sie ganze Tage durch Kommas getrennt ein, z. B. 3, 10."
        )
        return raw
    days = sorted({int(part) for part in parts})
    if any(not 1 <= day <= MAX_REMINDER_DAY for day in days):
        form.errors["reminder_days"] = _(
            "Erinnerungen sind vom 1. bis zum {n}. Tag nach der Einladung möglich."
        ).format(n=MAX_REMINDER_DAY)
    elif len(days) > MAX_REMINDERS:
        form.errors["reminder_days"] = _("Bitte höchstens {n} Erinnerungen.").format(
            n=MAX_REMINDERS
        )
    return ",".join(str(day) for day in days)


def parse_question(form: Form, *, walk_audit: bool) -> QuestionInput | None:
    form.labels = QUESTION_LABELS
    kind = form.choice("kind", list(KIND_LABELS))
    text = form.text("text", required=True, max_length=QUESTION_TEXT_MAX)
    help_text = _multiline(form, "help", HELP_MAX)
    page = form.integer("page", minimum=1, maximum=MAX_PAGE) or 1
    section = form.text("section", max_length=SECTION_MAX)
    labels = _option_labels(form, kind)
    min_value, max_value = _bounds(form, kind)
    if not form.ok:
        return None
    return QuestionInput(
        kind=kind,
        text=text,
        help=help_text,
        required=form.checkbox("required"),
        page=page,
        section=section,
        option_labels=labels,
        allow_dont_know=kind in SCALE_KINDS and form.checkbox("allow_dont_know"),
        per_stop=walk_audit and form.checkbox("per_stop"),
        min_value=min_value,
        max_value=max_value,
    )


def _option_labels(form: Form, kind: str) -> tuple[str, ...]:
    """One option per line; only choice kinds need them (a place question may offer some)."""
    raw = str(form.values.get("options") or "")
    labels = tuple(dict.fromkeys(line.strip() for line in raw.splitlines() if line.strip()))
    if kind not in OPTION_KINDS:
        return ()
    if kind in CHOICE_KINDS and len(labels) < 2:
        form.errors["options"] = _("Bitte geben Sie mindestens zwei Antworten an, eine pro Zeile.")
    elif len(labels) > MAX_OPTIONS:
        form.errors["options"] = _("Bitte höchstens {n} Antworten.").format(n=MAX_OPTIONS)
    elif any(len(label) > OPTION_LABEL_MAX for label in labels):
        form.errors["options"] = _("Jede Antwort darf höchstens {n} Zeichen haben.").format(
            n=OPTION_LABEL_MAX
        )
    return labels


def _bounds(form: Form, kind: str) -> tuple[float | None, float | None]:
    if kind != QuestionKind.NUMBER:
        return None, None
    low = form.decimal("min_value", minimum=-NUMBER_LIMIT, maximum=NUMBER_LIMIT)
    high = form.decimal("max_value", minimum=-NUMBER_LIMIT, maximum=NUMBER_LIMIT)
    if low is not None and high is not None and low > high:
        form.errors["max_value"] = _("Der größte Wert darf nicht kleiner als der kleinste sein.")
    return low, high


def parse_stop(form: Form) -> StopInput | None:
    form.labels = STOP_LABELS
    name = form.text("name", required=True, max_length=STOP_NAME_MAX)
    address = form.text("address", max_length=STOP_ADDRESS_MAX)
    latitude = form.decimal("latitude", minimum=-90, maximum=90)
    longitude = form.decimal("longitude", minimum=-180, maximum=180)
    if (latitude is None) != (longitude is None) and not {"latitude", "longitude"} & set(
        form.errors
    ):
        missing = "longitude" if longitude is None else "latitude"
        form.errors[missing] = _("Bitte geben Sie Breiten- und Längengrad zusammen an.")
    if not form.ok:
        return None
    return StopInput(name=name, address=address, latitude=latitude, longitude=longitude)


def option_keys(old: Sequence[Option], labels: Sequence[str]) -> list[tuple[str, str]]:
    """Keys for the new option labels: an unchanged label keeps its key (so answers and
    tallies stay with it), a new label gets the next unused "o<n>", never a removed one's."""
    unused = {option.label: option.key for option in old}
    taken = [int(option.key[1:]) for option in old if re.fullmatch(r"o\d+", option.key)]
    following = max(taken, default=0) + 1
    result: list[tuple[str, str]] = []
    for label in labels:
        key = unused.pop(label, None)
        if key is None:
            key = f"o{following}"
            following += 1
        result.append((key, label))
    return result


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if value == int(value) else str(value).replace(".", ",")


def _flag(value: bool) -> str:
    return "on" if value else ""


def settings_values(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": row["title"],
        "intro": row["intro"],
        "kind": row["kind"],
        "reminder_days": row["reminder_days"].replace(",", ", "),
    }


def question_values(question: QuestionRow) -> dict[str, Any]:
    """The edit form starts from what is stored, in the shape the form posts."""
    return {
        "kind": question.kind,
        "text": question.text,
        "help": question.help,
        "required": _flag(question.required),
        "page": str(question.page),
        "section": question.section,
        "options": "\n".join(o.label for o in question.options)
        if question.kind in OPTION_KINDS
        else "",
        "allow_dont_know": _flag(question.allow_dont_know),
        "per_stop": _flag(question.per_stop),
        "min_value": _number(question.min_value),
        "max_value": _number(question.max_value),
    }


def stop_values(stop: StopRow) -> dict[str, Any]:
    return {
        "name": stop.name,
        "address": stop.address,
        "latitude": _number(stop.latitude),
        "longitude": _number(stop.longitude),
    }
