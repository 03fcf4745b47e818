"""Database lifecycle and the one way to open a writing transaction on either backend."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any

from asyncpg.exceptions import IntegrityConstraintViolationError, UniqueViolationError
from piccolo.columns import Column
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType
from piccolo.querystring import QueryString
from piccolo.table import Table

from boerse.piccolo_conf import DB


def utcnow() -> dt.datetime:
    return dt.datetime.now(tz=dt.UTC)


def is_sqlite() -> bool:
    return isinstance(DB, SQLiteEngine)


def write_transaction():
    """SQLite has one writer: take the write lock at BEGIN so concurrent writers queue
    (up to the engine timeout) instead of failing half-way with "database is locked"."""
    if isinstance(DB, SQLiteEngine):
        return DB.transaction(transaction_type=TransactionType.immediate)
    return DB.transaction()


async def insert_many(
    table: type[Table],
    columns: Sequence[Column],
    rows: Sequence[Sequence[Any]],
    *,
    skip_conflicts_on: Column,
    returning: Column,
) -> list[Any]:
    """One multi-row INSERT, skipping rows that clash on `skip_conflicts_on`; returns
    `returning` of the rows inserted. For bulk writes (a survey fan-out of thousands):
    Piccolo's `insert(*rows)` builds a Table object and converts every value in Python,
    which cost more than the database's work; this writes the same SQL directly."""
    if not rows:
        return []
    names = ", ".join(f'"{column._meta.db_column_name}"' for column in columns)
    one_row = "(" + ", ".join("{}" for _ in columns) + ")"
    # Only identifiers of our own tables go into the text; every value is a parameter.
    sql = (
        f'INSERT INTO "{table._meta.tablename}" ({names}) VALUES '  # noqa: S608
        + ", ".join(one_row for _ in rows)
        + f' ON CONFLICT ("{skip_conflicts_on._meta.db_column_name}") DO NOTHING'
        + f' RETURNING "{returning._meta.db_column_name}"'
    )
    inserted = await table.raw(sql, *(value for row in rows for value in row))
    return [row[returning._meta.db_column_name] for row in inserted]


class QuickWriter:
    """Runs single writing statements, each committed on its own, on one held connection,
    without waiting for the disk: SQLite's `synchronous=NORMAL` in WAL mode, PostgreSQL's
    `synchronous_commit=off`. For a long run of tiny writes (one per delivered mail): a
    statement costs one round trip instead of four (BEGIN, SET, UPDATE, COMMIT through
    Piccolo) plus a disk flush, and on SQLite no new connection (Piccolo opens one per query,
    3-4 ms here, because the schema is parsed again each time). A killed process loses
    nothing that was committed; only a crash of the machine or of the database server can
    lose the last fraction of a second of such writes."""

    def __init__(self, connection: Any) -> None:
        self._connection = connection

    async def execute(self, sql: str, *args: Any) -> None:
        """`sql` with Piccolo's `{}` placeholders."""
        query, values = QueryString(sql, *args).compile_string(engine_type=DB.engine_type)
        if isinstance(DB, SQLiteEngine):
            await self._connection.execute(query, values)
        else:
            await self._connection.execute(query, *values)


@asynccontextmanager
async def quick_writer() -> AsyncIterator[QuickWriter]:
    if isinstance(DB, SQLiteEngine):
        connection = await DB.get_connection()
        await connection.execute("PRAGMA synchronous=NORMAL")
        try:
            yield QuickWriter(connection)
        finally:
            await connection.close()
        return
    connection = await (DB.pool.acquire() if DB.pool else DB.get_new_connection())
    try:
        await connection.execute("SET synchronous_commit TO off")
        yield QuickWriter(connection)
    finally:
        await connection.execute("RESET synchronous_commit")
        if DB.pool:
            await DB.pool.release(connection)
        else:
            await connection.close()


async def open_database() -> None:
    """Start the connection pool in the running loop; switch SQLite to WAL so reads never
    block and a kept connection sees every commit."""
    if isinstance(DB, PostgresEngine):
        await DB.start_connection_pool(min_size=1, max_size=10, reset=keep_session_state)
    else:
        await DB.run_ddl("PRAGMA journal_mode=WAL")
        await DB.start_connection_pool()


async def keep_session_state(connection: object) -> None:
    """The pool's reset of a released connection, which asyncpg runs after its own rollback of
    an unfinished transaction. Its default sends `pg_advisory_unlock_all(); CLOSE ALL;
    UNLISTEN *; RESET ALL` after every query Piccolo runs outside a transaction: one more
    round trip and ~0.2 ms of server time, four of them on the public list. We take no
    session-level advisory locks, keep no cursors outside a transaction, never LISTEN, and
    undo our one session SET (`quick_writer`) ourselves, so there is nothing to reset."""


async def close_database() -> None:
    await DB.close_connection_pool()


def select_text(query: Any, *markers: str) -> str:
    """The SQL text Piccolo writes for `query`, with `{}` (for `Table.raw`) where the query
    has bare marker words. For hot read paths that cache the text: Piccolo builds a select's
    text anew on every run. The query must carry no values of its own."""
    text = str(query.querystrings[0])
    for marker in markers:
        text = text.replace(marker, "{}")
    return text


class CachedSelect:
    """A Piccolo select written to SQL once per process and run with new values each time.

    Piccolo writes a select's text anew on every run; for one with joins
    (`Reply.opportunity.organisation.name`) that is 0.5–1 ms of Python, which on the results
    pages was half of each request. `build` returns the query with bare marker words where
    the values go (`WhereRaw("reply.opportunity = id__")`) and no values of its own (constants
    are written into the SQL); `rows(*values)` takes the values in the order their markers
    appear in the SQL. The rows are the driver's, as `Table.raw` gives them."""

    def __init__(self, build: Callable[[], Any], *markers: str) -> None:
        self._build = build
        self._markers = markers
        self._written: tuple[type[Table], str] | None = None

    async def rows(self, *values: Any) -> list[dict[str, Any]]:
        if self._written is None:
            query = self._build()
            self._written = (query.table, select_text(query, *self._markers))
        table, text = self._written
        return await table.raw(text, *values)

    async def first(self, *values: Any) -> dict[str, Any] | None:
        rows = await self.rows(*values)
        return rows[0] if rows else None


def sql_literals(values: Sequence[str]) -> str:
    """Our own constants (statuses, choice keys) as a list of SQL string literals, for `IN
    (…)` in statements written once; never for a value from outside (they contain no
    quotes)."""
    return ", ".join(f"'{value}'" for value in values)


def query_count() -> int:
    """Number of queries the engine has run; tests diff it to prove pages have no N+1."""
    return DB.query_id


# What a failed INSERT/UPDATE on a constraint (UNIQUE, FOREIGN KEY, …) raises on either
# backend; callers that expect only one kind ask `is_unique_violation`.
CONSTRAINT_ERRORS: tuple[type[Exception], ...] = (
    sqlite3.IntegrityError,
    IntegrityConstraintViolationError,
)


def is_unique_violation(error: BaseException) -> bool:
    """True when a write failed on a UNIQUE constraint: for our idempotent writes that
    means "someone already did this", not a failure. SQLite reports every constraint as
    IntegrityError, so its message tells UNIQUE apart from the rest."""
    if isinstance(error, UniqueViolationError):
        return True
    return isinstance(error, sqlite3.IntegrityError) and "UNIQUE" in str(error)
