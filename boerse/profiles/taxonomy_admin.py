"""The administration of the taxonomies: adding, renaming, retiring and restoring fields of
action, skills and languages. Every query that changes them lives here.

Nothing is ever deleted: profiles and opportunities hold slugs (and skill and field ids), so
a retired entry keeps showing where it was chosen; renaming changes only the name shown."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from piccolo.query.functions.aggregate import Count, Max
from piccolo.table import Table

from boerse.audit.actions import Action
from boerse.audit.services import record
from boerse.lib.db import (
    CONSTRAINT_ERRORS,
    is_sqlite,
    is_unique_violation,
    utcnow,
    write_transaction,
)
from boerse.lib.i18n import N_
from boerse.lib.i18n import gettext as _
from boerse.lib.templating import translated
from boerse.opportunities.tables import Opportunity, OpportunitySkill
from boerse.profiles.schemas import slugify
from boerse.profiles.tables import (
    FieldOfAction,
    Language,
    Profile,
    ProfileInterest,
    ProfileSkill,
    Skill,
)
from boerse.profiles.taxonomy import KINDS, MAX_BITS, changed, next_bit, refresh, sort_key

KIND_LABELS = {
    "fields": N_("Handlungsfelder"),
    "skills": N_("Fähigkeiten"),
    "languages": N_("Sprachen"),
}
KIND_SINGULAR = {
    "fields": N_("Handlungsfeld"),
    "skills": N_("Fähigkeit"),
    "languages": N_("Sprache"),
}
MAX_NAME = 100
ADD_LOCK = 1_201_200
"""PostgreSQL advisory lock keys of adding to each list (this number plus the list's index)."""


class TaxonomyError(ValueError):
    """Bad input found while writing (a name taken), in German for the form."""


@dataclass(frozen=True)
class AdminEntry:
    id: int
    slug: str
    name: str
    label: str
    """The name as shown (a seeded msgid translated)."""
    retired: bool
    uses: int
    """How many profiles and opportunities hold it: retiring keeps them all."""


def _table(kind: str) -> type[Table]:
    return {"fields": FieldOfAction, "skills": Skill, "languages": Language}[kind]


def _slug_column(kind: str) -> Any:
    return Language.code if kind == "languages" else _table(kind).slug


def _base_condition(kind: str) -> Any:
    """Skills: only curated ones are the taxonomy (residents' own tags are not)."""
    return Skill.curated.eq(True) if kind == "skills" else None


async def entries(kind: str) -> list[AdminEntry]:
    """Every entry of one list with its number of uses (three queries)."""
    table = _table(kind)
    slug = _slug_column(kind)
    query = table.select(table.id, slug.as_alias("slug"), table.name, table.retired_at)
    if (condition := _base_condition(kind)) is not None:
        query = query.where(condition)
    rows = await query
    uses = await _uses(kind)
    result = [
        AdminEntry(
            id=row["id"],
            slug=row["slug"],
            name=row["name"],
            label=translated(row["name"]),
            retired=row["retired_at"] is not None,
            uses=uses.get(row["id"] if kind != "languages" else row["slug"], 0),
        )
        for row in rows
    ]
    if kind == "skills":
        return sorted(result, key=lambda e: (e.retired, sort_key(e.label)))
    return sorted(result, key=lambda e: e.retired)  # stable: keeps the position order


async def _uses(kind: str) -> dict[Any, int]:
    """Profiles plus opportunities holding each entry (by id; languages by code)."""
    counts: dict[Any, int] = {}

    def add(rows: list[dict], key: str) -> None:
        for row in rows:
            counts[row[key]] = counts.get(row[key], 0) + row["n"]

    if kind == "skills":
        add(await _count(ProfileSkill, ProfileSkill.skill), "skill")
        add(await _count(OpportunitySkill, OpportunitySkill.skill), "skill")
    elif kind == "fields":
        add(await _count(ProfileInterest, ProfileInterest.field), "field")
        add(await _count(Opportunity, Opportunity.field), "field")
    else:
        # Arrays of codes: counted in Python; a town has a few thousand profiles at most.
        for table in (Profile, Opportunity):
            for row in await table.select(table.languages):
                for code in set(row["languages"] or []):
                    counts[code] = counts.get(code, 0) + 1
    return counts


async def _count(table: type[Table], column: Any) -> list[dict]:
    return await table.select(column, Count(table.id, alias="n")).group_by(column)


async def _name_taken(kind: str, name: str, except_id: int | None = None) -> bool:
    """Compared case-blind with every entry's name and its translation."""
    table = _table(kind)
    query = table.select(table.id, table.name)
    if (condition := _base_condition(kind)) is not None:
        query = query.where(condition)
    wanted = name.casefold()
    return any(
        row["id"] != except_id
        and wanted in {row["name"].casefold(), translated(row["name"]).casefold()}
        for row in await query
    )


async def _recount_holders(skill_id: int) -> None:
    """Residents who had typed the skill as their own now have it in the taxonomy: their
    index rows gain its bit in the same transaction (read with the lists as they are now)."""
    from boerse.matching.index import refresh_residents

    holders = await ProfileSkill.select(ProfileSkill.profile.user.as_alias("user")).where(
        ProfileSkill.skill == skill_id
    )
    await refresh_residents([row["user"] for row in holders], await refresh())


def _full_message(kind: str) -> str:
    return _(
        "Die Liste „{list}“ ist voll: Sie kann höchstens {count} Einträge haben, "
        "stillgelegte mitgezählt."
    ).format(list=_(KIND_LABELS[kind]), count=MAX_BITS)


def _taken_message(kind: str) -> str:
    return _("Diesen Namen gibt es in der Liste „{list}“ schon.").format(list=_(KIND_LABELS[kind]))


async def _free_slug(kind: str, name: str) -> str:
    """The slug of a new entry: from its name, made unique with a number if needed."""
    slug_column = _slug_column(kind)
    limit = slug_column.length
    base = slugify(name)[:limit] or "eintrag"
    slug, number = base, 1
    while await _table(kind).exists().where(slug_column == slug):
        number += 1
        suffix = f"-{number}"
        slug = base[: limit - len(suffix)] + suffix
    return slug


async def add(kind: str, name: str) -> int:
    """A new entry at the end of its list. A skill that residents already typed as their
    own becomes curated (same row, so their profiles keep it) instead of a twin."""
    try:
        entry_id = await _add(kind, name)
    except CONSTRAINT_ERRORS as error:
        # Adds of one list run one after another (see `_one_add_at_a_time`); the slug's
        # UNIQUE index still refuses a twin whatever happens.
        if not is_unique_violation(error):
            raise
        raise TaxonomyError(_taken_message(kind)) from error
    await changed()
    return entry_id


async def _one_add_at_a_time(kind: str) -> None:
    """Two administrators adding to one list at once would both take the next free bit.
    SQLite's writing transactions already run one at a time; on PostgreSQL a lock held until
    the transaction ends lets the second add wait and then see the first one's entry (its
    name too, so the same name twice is refused with the usual message)."""
    if not is_sqlite():
        await Skill.raw("SELECT pg_advisory_xact_lock({})", ADD_LOCK + KINDS.index(kind))


async def _add(kind: str, name: str) -> int:
    table = _table(kind)
    async with write_transaction():
        await _one_add_at_a_time(kind)
        if await _name_taken(kind, name):
            raise TaxonomyError(_taken_message(kind))
        bit = await next_bit(kind)
        if bit is None:
            raise TaxonomyError(_full_message(kind))
        entry_id = None
        if kind == "skills":
            own = (
                await Skill.select(Skill.id)
                .where(Skill.curated.eq(False) & (Skill.slug == slugify(name)))
                .first()
            )
            if own:
                entry_id = own["id"]
                await Skill.update(
                    {
                        Skill.curated: True,
                        Skill.name: name,
                        Skill.retired_at: None,
                        Skill.match_bit: bit,
                    }
                ).where(Skill.id == entry_id)
                await _recount_holders(entry_id)
        if entry_id is None:
            slug = await _free_slug(kind, name)
            values: dict[str, Any] = {"name": name, "match_bit": bit}
            if kind == "languages":
                values["code"] = slug
            else:
                values["slug"] = slug
            if kind == "skills":
                values["curated"] = True
            else:
                highest = await table.select(Max(table.position, alias="top")).first()
                values["position"] = ((highest or {}).get("top") or 0) + 1
            inserted = await table.insert(table(**values)).returning(table.id)
            entry_id = inserted[0]["id"]
        await record(Action.TAXONOMY_ENTRY_ADDED, entry_id, summary=_summary(kind, name))
    return entry_id


async def rename(kind: str, entry_id: int, name: str) -> bool:
    """False when there is no such entry. The slug stays: what is stored keeps pointing here."""
    table = _table(kind)
    async with write_transaction():
        if await _name_taken(kind, name, except_id=entry_id):
            raise TaxonomyError(_taken_message(kind))
        updated = await (
            table.update({table.name: name})
            .where(_entry_condition(kind, entry_id))
            .returning(table.id)
        )
        if updated:
            await record(Action.TAXONOMY_ENTRY_RENAMED, entry_id, summary=_summary(kind, name))
    await changed()
    return bool(updated)


async def set_retired(kind: str, entry_id: int, retired: bool) -> bool:
    """Retire (no longer offered) or restore an entry; False when there is no such entry."""
    table = _table(kind)
    async with write_transaction():
        updated = await (
            table.update({table.retired_at: utcnow() if retired else None})
            .where(_entry_condition(kind, entry_id))
            .returning(table.id, table.name)
        )
        if updated:
            action = Action.TAXONOMY_ENTRY_RETIRED if retired else Action.TAXONOMY_ENTRY_RESTORED
            await record(action, entry_id, summary=_summary(kind, updated[0]["name"]))
    await changed()
    return bool(updated)


def _entry_condition(kind: str, entry_id: int) -> Any:
    table = _table(kind)
    condition = table.id == entry_id
    if kind == "skills":
        condition &= Skill.curated.eq(True)
    return condition


def _summary(kind: str, name: str) -> str:
    """The list and the entry's name (German, like the audit log's other summaries)."""
    return f"{KIND_SINGULAR[kind]}: {name}"
