"""Full-text search over an opportunity's title, summary and description, German word forms
included ("Garten" finds "Gärten" and "Gartenarbeit"), and the language filter.

PostgreSQL does it natively with the `german` text search configuration over an expression
index. SQLite's FTS5 has no German stemmer, so the words are stemmed here with the Snowball
German stemmer (the algorithm PostgreSQL's `german` dictionary uses too) and kept in the FTS5
table `opportunity_search`, whose rowid is the opportunity's id; the services write it in the
transaction of every change of those texts. Queries are stemmed the same way and every word
must match, as a prefix, so a compound beginning with it counts too."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

import snowballstemmer
from piccolo.columns.combination import WhereRaw
from piccolo.table import Table

from boerse.lib.db import is_sqlite
from boerse.opportunities.tables import Opportunity

SEARCHED_COLUMNS = ("title", "summary", "description")
_WORD = re.compile(r"\w+", re.UNICODE)
_BATCH = 500


@cache
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("german")


def german_stems(text: str) -> list[str]:
    """Lower-cased Snowball stems of the words of `text`, in order."""
    words = [word.lower() for word in _WORD.findall(text)]
    return _stemmer().stemWords(words)


def indexed_text(*texts: str) -> str:
    return " ".join(german_stems(" ".join(texts)))


def _fts_query(text: str) -> str:
    """Every stem as a quoted prefix term: FTS5 syntax characters typed by a visitor are
    only ever inside quotes, so they cannot change the query."""
    return " ".join(f'"{stem}"*' for stem in dict.fromkeys(german_stems(text)))


def text_condition(text: str) -> WhereRaw | None:
    """The opportunities whose texts contain every word of `text`; None when it has none."""
    if not german_stems(text):
        return None
    if is_sqlite():
        return WhereRaw(
            "opportunity.id IN (SELECT rowid FROM opportunity_search "
            "WHERE opportunity_search MATCH {})",
            _fts_query(text),
        )
    return WhereRaw(f"{_PG_VECTOR} @@ {_PG_PREFIX_QUERY}", text)


def language_condition(code: str) -> WhereRaw:
    """Offers in which one can take part in this language (`languages` holds ISO codes)."""
    if is_sqlite():
        return WhereRaw(
            "EXISTS (SELECT 1 FROM json_each(opportunity.languages) WHERE value = {})", code
        )
    return WhereRaw("{} = ANY(opportunity.languages)", code)


# plainto_tsquery stems and quotes what was typed ('gart' & 'baum'); each lexeme then becomes a
# prefix ('gart':*), as on SQLite, so "Garten" also finds "Gartenarbeit".
_PG_PREFIX_QUERY = (
    "to_tsquery('german', regexp_replace(plainto_tsquery('german', {})::text, "
    r"'''([^'']+)''', '''\1'':*', 'g'))"
)
# The same expression as the index of the migration, or PostgreSQL cannot use that index.
_PG_VECTOR = (
    "to_tsvector('german', opportunity.title || ' ' || opportunity.summary || ' ' "
    "|| opportunity.description)"
)


async def index_opportunity(
    opportunity_id: int, title: str, summary: str, description: str
) -> None:
    """Keeps the SQLite search table in step; call it in the transaction of the change."""
    if not is_sqlite():
        return
    await Table.raw("DELETE FROM opportunity_search WHERE rowid = {}", opportunity_id)
    await _insert(
        [{"id": opportunity_id, "title": title, "summary": summary, "description": description}]
    )


async def index_all(rows: Iterable[dict]) -> None:
    """Rebuilds the SQLite search table from rows with id, title, summary and description
    (after a bulk import such as the demo town, and in the migration that creates it)."""
    if not is_sqlite():
        return
    await Table.raw("DELETE FROM opportunity_search")
    batch: list[dict] = []
    for row in rows:
        batch.append(row)
        if len(batch) == _BATCH:
            await _insert(batch)
            batch = []
    if batch:
        await _insert(batch)


async def reindex_all() -> None:
    """After a bulk import that bypassed the services (the demo town)."""
    if is_sqlite():
        await index_all(
            await Opportunity.select(
                Opportunity.id, Opportunity.title, Opportunity.summary, Opportunity.description
            )
        )


async def _insert(rows: list[dict]) -> None:
    placeholders = ", ".join("({}, {})" for _ in rows)
    values = []
    for row in rows:
        values += [row["id"], indexed_text(*(row[column] or "" for column in SEARCHED_COLUMNS))]
    # Only "({}, {})" groups are formatted in; the values travel as parameters.
    statement = f"INSERT INTO opportunity_search (rowid, terms) VALUES {placeholders}"  # noqa: S608
    await Table.raw(statement, *values)
