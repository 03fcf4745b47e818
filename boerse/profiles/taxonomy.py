"""The curated taxonomies: fields of action, skills, weekly time windows and languages.

Labels are German msgids translated at render time; slugs are stable identifiers."""

from __future__ import annotations

from boerse.lib.i18n import N_
from boerse.profiles.tables import FieldOfAction, Skill

FIELDS_OF_ACTION: list[tuple[str, str]] = [
    ("environment", N_("Umwelt und Klima")),
    ("health", N_("Gesundheit und Pflege")),
    ("youth", N_("Kinder und Jugend")),
    ("elderly", N_("Ältere Menschen")),
    ("education", N_("Bildung")),
    ("integration", N_("Integration und Zusammenleben")),
    ("safety", N_("Sicherheit und Ordnung")),
    ("culture", N_("Kultur und Freizeit")),
    ("urban", N_("Stadtentwicklung und Mobilität")),
    ("social", N_("Soziales und Nachbarschaft")),
]

CURATED_SKILLS: list[tuple[str, str]] = [
    ("gardening", N_("Gärtnern")),
    ("crafts", N_("Handwerk und Reparieren")),
    ("cooking", N_("Kochen")),
    ("driving", N_("Autofahren (Führerschein)")),
    ("cycling", N_("Radfahren / Rikscha fahren")),
    ("reading-aloud", N_("Vorlesen")),
    ("tutoring", N_("Nachhilfe geben")),
    ("languages", N_("Übersetzen und Dolmetschen")),
    ("it", N_("Computer und Internet")),
    ("social-media", N_("Social Media und Öffentlichkeitsarbeit")),
    ("photography", N_("Fotografieren")),
    ("writing", N_("Texte schreiben")),
    ("moderation", N_("Moderieren")),
    ("organising", N_("Organisieren und Planen")),
    ("accounting", N_("Finanzen und Buchhaltung")),
    ("law", N_("Rechtskenntnisse")),
    ("first-aid", N_("Erste Hilfe")),
    ("care", N_("Pflege und Betreuung")),
    ("sports", N_("Sport anleiten")),
    ("music", N_("Musik")),
    ("art", N_("Kunst und Gestalten")),
    ("surveying", N_("Befragen und Beobachten")),
    ("data", N_("Daten auswerten")),
    ("planning", N_("Stadtplanung und Architektur")),
    ("youth-work", N_("Arbeit mit Jugendlichen")),
    ("dementia", N_("Erfahrung mit Demenz")),
]

WEEKDAYS: list[tuple[str, str]] = [
    ("mon", N_("Montag")),
    ("tue", N_("Dienstag")),
    ("wed", N_("Mittwoch")),
    ("thu", N_("Donnerstag")),
    ("fri", N_("Freitag")),
    ("sat", N_("Samstag")),
    ("sun", N_("Sonntag")),
]

DAY_PARTS: list[tuple[str, str, int, int]] = [
    # slug, label, first hour, hour after the last
    ("morning", N_("vormittags"), 6, 12),
    ("afternoon", N_("nachmittags"), 12, 17),
    ("evening", N_("abends"), 17, 23),
]

TIME_WINDOWS: list[str] = [f"{day}-{part}" for day, _ in WEEKDAYS for part, *_ in DAY_PARTS]

LANGUAGES: list[tuple[str, str]] = [
    ("de", N_("Deutsch")),
    ("en", N_("Englisch")),
    ("tr", N_("Türkisch")),
    ("ar", N_("Arabisch")),
    ("ru", N_("Russisch")),
    ("uk", N_("Ukrainisch")),
    ("pl", N_("Polnisch")),
    ("fa", N_("Persisch")),
    ("fr", N_("Französisch")),
    ("es", N_("Spanisch")),
    ("it", N_("Italienisch")),
    ("dgs", N_("Deutsche Gebärdensprache")),
    ("ls", N_("Leichte Sprache")),
]
LANGUAGE_CODES = {code for code, _ in LANGUAGES}


def window_of(weekday: int, hour: int) -> str | None:
    """The window slug ('sat-morning') a local time falls into; weekday 0 is Monday."""
    for part, _, first, after in DAY_PARTS:
        if first <= hour < after:
            return f"{WEEKDAYS[weekday][0]}-{part}"
    return None


async def ensure_taxonomy() -> None:
    """Insert missing curated entries; run after every migration, so it must be idempotent."""
    known_fields = {row["slug"] for row in await FieldOfAction.select(FieldOfAction.slug)}
    new_fields = [
        FieldOfAction(slug=slug, name=name, position=index)
        for index, (slug, name) in enumerate(FIELDS_OF_ACTION)
        if slug not in known_fields
    ]
    if new_fields:
        await FieldOfAction.insert(*new_fields)
    known_skills = {row["slug"] for row in await Skill.select(Skill.slug)}
    new_skills = [
        Skill(slug=slug, name=name, curated=True)
        for slug, name in CURATED_SKILLS
        if slug not in known_skills
    ]
    if new_skills:
        await Skill.insert(*new_skills)
