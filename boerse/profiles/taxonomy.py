"""The curated taxonomies: fields of action, skills, weekly time windows and languages.

Fields, skills and languages live in tables that administrators keep (add, rename, retire);
the constants below are only the seed. Labels of seeded entries are German msgids translated
at render time; an administrator's name is shown as typed (`translated` leaves a name that is
no msgid as it is). Slugs (codes for languages) are stable identifiers: profiles and
opportunities store them, so renaming never touches what they hold, and a retired entry
keeps showing wherever it was chosen but is no longer offered for new choices.

Matching counts every entry alike, built-in or added, retired or not: each has a bit
(`match_bit`) in the index's masks, given once and never reused. Each process keeps its
last reading and reads again only when the shared version token changes (`current`)."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from piccolo.query.functions.aggregate import Max

from boerse.lib.i18n import N_, gettext
from boerse.lib.shared_version import UNREACHABLE, SharedVersion
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
    """Insert missing curated entries and give every entry its matching bit; run after every
    migration, so it must be idempotent. Nine queries on a new or up-to-date database."""
    added = 0
    for kind in KINDS:
        # Rows from before bits existed first: their bits must be the index's old positions.
        given, following = await _give_bits(kind)
        added += given
        await _insert_missing_seeds(kind, following)
    if added:
        # Entries an administrator added before they had bits: what their holders chose
        # counts only once the index is computed again (once, on upgrading).
        from boerse.matching.index import rebuild_index

        await rebuild_index()
    # Seeds change only with a new release, whose processes start afresh (and others read
    # again within MAX_AGE): no shared version to announce, and no Redis needed here.
    await _keep_as_written()


_SEEDS = {"fields": FIELDS_OF_ACTION, "skills": CURATED_SKILLS, "languages": LANGUAGES}
MAX_BITS = 63
"""Bits 0..62 of a signed 64-bit column: the most entries one list can ever have had."""


def _bit_table(kind: str) -> tuple[Any, Any, Any]:
    """(table, slug column, condition of taxonomy rows) of one list."""
    if kind == "fields":
        return FieldOfAction, FieldOfAction.slug, None
    if kind == "skills":
        return Skill, Skill.slug, Skill.curated.eq(True)
    return Language, Language.code, None


async def _give_bits(kind: str) -> tuple[int, int]:
    """Bits for the entries without one (only on the upgrade that brought bits): seeded
    entries first in seed order, which is the index order the seed lists always gave, so
    existing index rows stay right; then others in the order they were added. Returns how
    many non-seeded entries got one, and the bit that comes next."""
    table, slug_column, condition = _bit_table(kind)
    query = table.select(table.id, slug_column.as_alias("slug"), table.match_bit)
    if condition is not None:
        query = query.where(condition)
    rows = await query
    following = max((row["match_bit"] for row in rows if row["match_bit"] is not None), default=-1)
    following += 1
    seed_order = {slug: index for index, (slug, _label) in enumerate(_SEEDS[kind])}
    missing = sorted(
        (row for row in rows if row["match_bit"] is None),
        key=lambda row: (seed_order.get(row["slug"], len(seed_order)), row["id"]),
    )
    added = 0
    for row in missing[: max(0, MAX_BITS - following)]:
        await table.update({table.match_bit: following}).where(table.id == row["id"])
        following += 1
        added += row["slug"] not in seed_order
    return added, following


async def _insert_missing_seeds(kind: str, following: int) -> None:
    """Seeded entries the table lacks (a new database, or seeds a release added), each with
    the next bit: on a new database bit i is entry i of the seed list."""
    table, slug_column, _condition = _bit_table(kind)
    known = {row["slug"] for row in await table.select(slug_column.as_alias("slug"))}
    rows = []
    for position, (slug, name) in enumerate(_SEEDS[kind]):
        if slug in known or following >= MAX_BITS:
            continue
        values: dict[str, Any] = {"name": name, "match_bit": following}
        if kind == "languages":
            values |= {"code": slug, "position": position}
        elif kind == "fields":
            values |= {"slug": slug, "position": position}
        else:
            values |= {"slug": slug, "curated": True}
        rows.append(table(**values))
        following += 1
    if rows:
        await table.insert(*rows)


async def next_bit(kind: str) -> int | None:
    """The bit a new entry of the list gets; None when the list has used every bit."""
    table, _slug, _condition = _bit_table(kind)
    top = await table.select(Max(table.match_bit, alias="top")).first()
    highest = (top or {}).get("top")
    following = 0 if highest is None else highest + 1
    return following if following < MAX_BITS else None


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
    bit: int | None = None
    """Its position in the matching index's masks (see `Skill.match_bit`)."""

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
        """(slug, translated label) pairs for the form macros; skills alphabetically in the
        reader's language (the others keep their position)."""
        pairs = [(e.slug, e.label) for e in self.offered(kind, keep)]
        if kind == "skills":
            pairs.sort(key=lambda pair: sort_key(pair[1]))
        return pairs

    def labels(self, kind: str) -> dict[str, str]:
        """Translated labels of every entry, retired ones included (for showing choices)."""
        return {e.slug: e.label for e in self.entries(kind)}

    def slugs(self, kind: str) -> set[str]:
        """Every known slug, retired included: a form may keep what a record already has."""
        return {e.slug for e in self.entries(kind)}

    def label_of(self, kind: str, slug: str) -> str:
        """One entry's translated label (retired ones too); an unknown slug as it is."""
        entry = self._by_slug[kind].get(slug)
        return entry.label if entry else slug

    def bits(self, kind: str) -> dict[str, int]:
        """slug → its mask bit (1 << position) for every entry that has one, retired
        included: what profiles and offers hold keeps counting in matching."""
        return self._bits[kind]

    def slugs_of_mask(self, kind: str, mask: int) -> frozenset[str]:
        """The slugs whose bits are set; kept per mask (a town has few distinct masks, and
        scoring thousands of index rows reuses them)."""
        known = self._masks[kind]
        slugs = known.get(mask)
        if slugs is None:
            slugs = frozenset(slug for slug, bit in self._bits[kind].items() if mask & bit)
            if len(known) < 8192:
                known[mask] = slugs
        return slugs

    @cached_property
    def _by_slug(self) -> dict[str, dict[str, Entry]]:
        return {kind: {e.slug: e for e in self.entries(kind)} for kind in KINDS}

    @cached_property
    def _bits(self) -> dict[str, dict[str, int]]:
        return {
            kind: {e.slug: 1 << e.bit for e in self.entries(kind) if e.bit is not None}
            for kind in KINDS
        }

    @cached_property
    def _masks(self) -> dict[str, dict[int, frozenset[str]]]:
        return {kind: {} for kind in KINDS}


# The three lists in one statement, read again only when the shared version says they
# changed (see `current`).
_LOAD = """
SELECT 'fields' AS kind, id, slug, name, retired_at IS NOT NULL AS retired, position, match_bit
  FROM field_of_action
UNION ALL
SELECT 'skills', id, slug, name, retired_at IS NOT NULL, 0, match_bit FROM skill WHERE curated
UNION ALL
SELECT 'languages', id, code, name, retired_at IS NOT NULL, position, match_bit FROM language
ORDER BY kind, position, id
"""


async def load() -> Taxonomy:
    """Reads the three lists (one query). Skills sort by name, the others by position."""
    lists: dict[str, list[Entry]] = {kind: [] for kind in KINDS}
    for row in await FieldOfAction.raw(_LOAD):
        lists[row["kind"]].append(
            Entry(row["id"], row["slug"], row["name"], bool(row["retired"]), row["match_bit"])
        )
    # By the German name, whatever language the request that reads them has: the reading is
    # kept for every visitor; `options` sorts by the reader's labels.
    lists["skills"].sort(key=lambda entry: sort_key(entry.name))
    return Taxonomy(
        fields=tuple(lists["fields"]),
        skills=tuple(lists["skills"]),
        languages=tuple(lists["languages"]),
    )


VERSION = SharedVersion("taxonomy")
MAX_AGE = 60.0
"""Seconds after which a process reads the lists again even though the token is the same:
catches a change whose new token could not be set because Redis was down just then."""


@dataclass
class _Kept:
    taxonomy: Taxonomy
    token: object
    read_at: float


_kept: _Kept | None = None


async def current() -> Taxonomy:
    """The lists as they are now, also kept as this process's `snapshot()`. Read from the
    database only when an administrator changed them since this process last read them
    (every web replica and worker sees the change on its next call): otherwise one Redis
    GET and no query, on every page that shows or checks the lists."""
    global _kept
    token = await VERSION.token()
    kept = _kept
    if (
        kept is not None
        and token is not UNREACHABLE
        and kept.token == token
        and time.monotonic() - kept.read_at < MAX_AGE
    ):
        return kept.taxonomy
    taxonomy = await load()
    _kept = _Kept(taxonomy, token, time.monotonic())
    return taxonomy


async def _keep_as_written() -> None:
    """The process that just wrote the lists (migrations, the demo loader, each test's
    clean start) keeps them as read, as one that has seen no change announced yet, so its
    next `current()` reads nothing unless a change is announced after this."""
    global _kept
    _kept = _Kept(await load(), None, time.monotonic())


async def refresh() -> Taxonomy:
    """Read the lists now, whatever the token says (inside a transaction that changes
    them, or in a script without Redis)."""
    global _kept
    taxonomy = await load()
    _kept = _Kept(taxonomy, UNREACHABLE, time.monotonic())
    return taxonomy


def snapshot() -> Taxonomy:
    """The last reading without waiting (for code that cannot await, such as a parser given
    no taxonomy); before the first reading, the seed lists. Handlers that show or check
    choices await `current()` first."""
    return _kept.taxonomy if _kept else _SEED


def forget() -> None:
    """This process reads the lists again on its next `current()`."""
    global _kept
    _kept = None


async def changed() -> None:
    """After a committed change: this process and every other read the lists again."""
    forget()
    await VERSION.bump()


_SEED = Taxonomy(
    fields=tuple(Entry(0, slug, name, False, i) for i, (slug, name) in enumerate(FIELDS_OF_ACTION)),
    skills=tuple(Entry(0, slug, name, False, i) for i, (slug, name) in enumerate(CURATED_SKILLS)),
    languages=tuple(Entry(0, code, name, False, i) for i, (code, name) in enumerate(LANGUAGES)),
)
