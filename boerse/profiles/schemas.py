"""Parsing of the profile form: every rule becomes a message next to its field, nothing is
written until the whole form is valid."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from boerse.lib.forms import Form
from boerse.lib.i18n import N_
from boerse.lib.i18n import gettext as _
from boerse.profiles.accessibility import ACCESSIBILITY, ACCESSIBILITY_SLUGS
from boerse.profiles.taxonomy import TIME_WINDOWS, snapshot

MAX_OWN_SKILLS = 10
MAX_OWN_SKILL_LENGTH = 40
MIN_RADIUS_KM, MAX_RADIUS_KM = 1, 100
MIN_HOURS, MAX_HOURS = 0, 80
# Older than 110 is a typo; younger than 14 may not register without a guardian.
OLDEST_AGE, YOUNGEST_AGE = 110, 14

_TRANSLITERATION = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


@dataclass(frozen=True)
class ProfileInput:
    """A validated profile form; `skill_ids` are curated skills, `own_skills` free tags."""

    display_name: str
    postcode: str
    address: str
    travel_radius_km: int
    hours_per_month: int
    skill_ids: list[int] = field(default_factory=list)
    own_skills: list[str] = field(default_factory=list)
    interest_ids: list[int] = field(default_factory=list)
    time_windows: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    birth_year: int | None = None
    contact_ok: bool = False
    digest_ok: bool = False
    """Opted in to the weekly email of new matching opportunities (off unless ticked)."""
    accessibility_needs: list[str] = field(default_factory=list)
    """Slugs of `boerse.profiles.accessibility.ACCESSIBILITY`, in that list's order."""
    accessible_only: bool = False
    """Recommend and list only offers that meet every need (a hard filter)."""


def slugify(name: str) -> str:
    """A stable ASCII identifier, so "Imkern", "imkern" and "IMKERN" are one skill."""
    text = name.casefold().translate(_TRANSLITERATION)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:80]


# Labels as the profile form shows them, so that the error summary can name each field.
PROFILE_LABELS = {
    "display_name": N_("Ihr Name, wie andere ihn sehen"),
    "postcode": N_("Postleitzahl"),
    "address": N_("Straße und Hausnummer"),
    "travel_radius_km": N_("Wie weit würden Sie fahren? (Kilometer)"),
    "skills": N_("Ihre Fähigkeiten"),
    "own_skills": N_("Eigene Fähigkeiten"),
    "interests": N_("Themen, bei denen Sie mitmachen möchten"),
    "time_windows": N_("Zu welchen Zeiten haben Sie meistens Zeit?"),
    "hours_per_month": N_("Stunden im Monat"),
    "languages": N_("Welche Sprachen sprechen Sie?"),
    "birth_year": N_("Geburtsjahr"),
    "accessibility_needs": N_("Was brauchen Sie, um mitmachen zu können?"),
    "accessible_only": N_("Nur Angebote zeigen, die alle meine Bedürfnisse erfüllen"),
}


def parse_profile(
    form: Form, curated: dict[int, str], field_ids: set[int], this_year: int
) -> ProfileInput | None:
    """Checks the whole form; returns None (with `form.errors` filled) when anything is wrong.

    `curated` maps the ids of curated skills to their (German) names, so that an own tag that
    repeats a curated skill ticks that skill instead of creating a twin."""
    form.labels = PROFILE_LABELS
    display_name = form.text("display_name", required=True, max_length=100)
    postcode = form.postcode(required=True)
    address = form.text("address", max_length=200)
    radius = form.integer(
        "travel_radius_km", required=True, minimum=MIN_RADIUS_KM, maximum=MAX_RADIUS_KM
    )
    hours = form.integer("hours_per_month", required=True, minimum=MIN_HOURS, maximum=MAX_HOURS)
    skill_ids = _ids(form, "skills", set(curated))
    own_skills = _own_skills(form, curated, skill_ids)
    interest_ids = _ids(form, "interests", field_ids)
    windows = _choices(form, "time_windows", TIME_WINDOWS)
    # Every known language, retired ones too: saving keeps what the profile already had.
    languages = _choices(form, "languages", snapshot().slugs("languages"))
    birth_year = form.integer(
        "birth_year", minimum=this_year - OLDEST_AGE, maximum=this_year - YOUNGEST_AGE
    )
    contact_ok = form.checkbox("contact_ok")
    digest_ok = form.checkbox("digest_ok")
    needs = _choices(form, "accessibility_needs", ACCESSIBILITY_SLUGS)
    accessible_only = form.checkbox("accessible_only")
    if accessible_only and not needs and "accessibility_needs" not in form.errors:
        form.errors["accessibility_needs"] = _(
            "Bitte kreuzen Sie an, was Sie brauchen, oder wählen Sie „Nur Angebote zeigen, "
            "die alle meine Bedürfnisse erfüllen“ ab."
        )
    if not form.ok or radius is None or hours is None:
        return None
    return ProfileInput(
        display_name=display_name,
        postcode=postcode,
        address=address,
        travel_radius_km=radius,
        hours_per_month=hours,
        skill_ids=skill_ids,
        own_skills=own_skills,
        interest_ids=interest_ids,
        time_windows=[slug for slug in TIME_WINDOWS if slug in windows],
        languages=languages,
        birth_year=birth_year,
        contact_ok=contact_ok,
        digest_ok=digest_ok,
        accessibility_needs=[slug for slug, _label in ACCESSIBILITY if slug in needs],
        accessible_only=accessible_only,
    )


def _ids(form: Form, name: str, allowed: set[int]) -> list[int]:
    """Ids ticked in a checkbox group; anything not offered means a tampered form."""
    chosen: list[int] = []
    for raw in form.many(name):
        if not raw.isdigit() or int(raw) not in allowed:
            form.errors[name] = _("Bitte wählen Sie nur Einträge aus der Liste.")
            return []
        chosen.append(int(raw))
    return list(dict.fromkeys(chosen))


def _choices(form: Form, name: str, allowed: set[str] | list[str]) -> list[str]:
    chosen = form.many(name)
    if any(value not in allowed for value in chosen):
        form.errors[name] = _("Bitte wählen Sie nur Einträge aus der Liste.")
        return []
    return list(dict.fromkeys(chosen))


def _own_skills(form: Form, curated: dict[int, str], skill_ids: list[int]) -> list[str]:
    """Comma-separated tags, deduplicated case-insensitively; a tag naming a curated skill
    ticks that skill (appended to `skill_ids`) instead of becoming an own tag."""
    raw = form.text("own_skills", max_length=1000)
    if "own_skills" in form.errors:
        return []
    curated_by_name = {name.casefold(): skill_id for skill_id, name in curated.items()}
    tags: dict[str, str] = {}
    for part in re.split(r"[,;\n]", raw):
        tag = " ".join(part.split())
        if not tag:
            continue
        if len(tag) > MAX_OWN_SKILL_LENGTH:
            form.errors["own_skills"] = _(
                "Jede eigene Fähigkeit darf höchstens {n} Zeichen lang sein: „{tag}…“"
            ).format(n=MAX_OWN_SKILL_LENGTH, tag=tag[:MAX_OWN_SKILL_LENGTH])
            return []
        if tag.casefold() in curated_by_name:
            skill_ids.append(curated_by_name[tag.casefold()])
            continue
        slug = slugify(tag)
        if not slug:
            form.errors["own_skills"] = _(
                "Eine eigene Fähigkeit braucht mindestens einen Buchstaben oder eine Ziffer."
            )
            return []
        tags.setdefault(slug, tag)
    if len(tags) > MAX_OWN_SKILLS:
        form.errors["own_skills"] = _(
            "Bitte geben Sie höchstens {n} eigene Fähigkeiten an."
        ).format(n=MAX_OWN_SKILLS)
        return []
    skill_ids[:] = list(dict.fromkeys(skill_ids))
    return list(tags.values())
