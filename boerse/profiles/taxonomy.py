"""The curated taxonomies: fields of action, skills, weekly time windows and languages.

Fields, skills and languages live in tables that administrators keep (add, rename, retire);
the constants below are only the seed. Labels of seeded entries are German msgids translated
at render time; an administrator's name is shown as typed (`translated` leaves a name that is
no msgid as it is). Slugs (codes for languages) are stable identifiers: profiles and
opportunities store them, so renaming never touches what they hold, and a retired entry
keeps showing wherever it was chosen but is no longer offered for new choices."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from boerse.lib.i18n import N_, gettext
from boerse.profiles.tables import FieldOfAction, Language, Skill

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
SEEDED_LANGUAGE_CODES = frozenset(code for code, _ in LANGUAGES)


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
    known_languages = {row["code"] for row in await Language.select(Language.code)}
    new_languages = [
        Language(code=code, name=name, position=index)
        for index, (code, name) in enumerate(LANGUAGES)
        if code not in known_languages
    ]
    if new_languages:
        await Language.insert(*new_languages)
    forget()


_GERMAN_SORT = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})


def sort_key(label: str) -> str:
    """Umlauts sort beside their base letter (Ü with U), as a German reader expects."""
    return label.casefold().translate(_GERMAN_SORT)


# --- the current entries, as administrators keep them ------------------------------------

KINDS = ("fields", "skills", "languages")


@dataclass(frozen=True)
class Entry:
    id: int
    slug: str
    """The stable identifier (a language's code)."""
    name: str
    """A seeded entry's msgid, or the name an administrator typed."""
    retired: bool

    @property
    def label(self) -> str:
        return str(gettext(self.name))


@dataclass(frozen=True)
class Taxonomy:
    """One reading of the three lists, each in its display order."""

    fields: tuple[Entry, ...]
    skills: tuple[Entry, ...]
    """Curated skills only (residents' own tags are no taxonomy)."""
    languages: tuple[Entry, ...]

    def entries(self, kind: str) -> tuple[Entry, ...]:
        return getattr(self, kind)

    def offered(self, kind: str, keep: Iterable[str] = ()) -> list[Entry]:
        """Entries a form offers: the active ones, and retired ones in `keep` (what the
        record being edited already holds, or what the form posted)."""
        kept = {str(item) for item in keep}
        return [e for e in self.entries(kind) if not e.retired or e.slug in kept]

    def options(self, kind: str, keep: Iterable[str] = ()) -> list[tuple[str, str]]:
        """(slug, translated label) pairs for the form macros."""
        return [(e.slug, e.label) for e in self.offered(kind, keep)]

    def labels(self, kind: str) -> dict[str, str]:
        """Translated labels of every entry, retired ones included (for showing choices)."""
        return {e.slug: e.label for e in self.entries(kind)}

    def slugs(self, kind: str) -> set[str]:
        """Every known slug, retired included: a form may keep what a record already has."""
        return {e.slug for e in self.entries(kind)}


_last: Taxonomy | None = None

# The three lists in one statement: pages read them on every request, so a change is seen
# at once by every web replica, at the price of one small query per page that shows them.
_LOAD = """
SELECT 'fields' AS kind, id, slug, name, retired_at IS NOT NULL AS retired, position
  FROM field_of_action
UNION ALL
SELECT 'skills', id, slug, name, retired_at IS NOT NULL, 0 FROM skill WHERE curated
UNION ALL
SELECT 'languages', id, code, name, retired_at IS NOT NULL, position FROM language
ORDER BY kind, position, id
"""


async def load() -> Taxonomy:
    """Reads the three lists (one query). Skills sort by name, the others by position."""
    lists: dict[str, list[Entry]] = {kind: [] for kind in KINDS}
    for row in await FieldOfAction.raw(_LOAD):
        lists[row["kind"]].append(Entry(row["id"], row["slug"], row["name"], bool(row["retired"])))
    lists["skills"].sort(key=lambda entry: sort_key(entry.label))
    return Taxonomy(
        fields=tuple(lists["fields"]),
        skills=tuple(lists["skills"]),
        languages=tuple(lists["languages"]),
    )


async def current() -> Taxonomy:
    """The lists as they are now; also kept as this process's `snapshot()`."""
    global _last
    _last = await load()
    return _last


def snapshot() -> Taxonomy:
    """The last reading without waiting (for code that cannot await, such as a parser given
    no taxonomy); before the first reading, the seed lists. Handlers that show or check
    choices await `current()` first."""
    return _last or _SEED


def forget() -> None:
    """After a change: `snapshot()` no longer returns the reading from before it."""
    global _last
    _last = None


_SEED = Taxonomy(
    fields=tuple(Entry(0, slug, name, False) for slug, name in FIELDS_OF_ACTION),
    skills=tuple(Entry(0, slug, name, False) for slug, name in CURATED_SKILLS),
    languages=tuple(Entry(0, code, name, False) for code, name in LANGUAGES),
)
