"""Database lifecycle and the one way to open a writing transaction on either backend."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from asyncpg.exceptions import UniqueViolationError
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, SQLiteTransaction, TransactionType

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


QuickTransaction = Callable[[], AbstractAsyncContextManager[Any]]


@asynccontextmanager
async def quick_commits() -> AsyncIterator[QuickTransaction]:
    """A factory of small writing transactions for a long run of them (one per delivered
    mail), each committed without waiting for the disk: SQLite's `synchronous=NORMAL` in
    WAL mode, PostgreSQL's `synchronous_commit=off`. A killed process loses nothing that
    was committed; only a crash of the machine or the database server can lose the last
    fraction of a second of them. On SQLite they share one connection, because Piccolo
    opens a new one per query and that costs 3-4 ms here (the schema is parsed each time)."""
    if not isinstance(DB, SQLiteEngine):
        yield _postgres_quick_transaction
        return
    connection = await DB.get_connection()
    await connection.execute("PRAGMA synchronous=NORMAL")
    try:
        yield lambda: _HeldConnectionTransaction(DB, connection)
    finally:
        await connection.close()


@asynccontextmanager
async def _postgres_quick_transaction() -> AsyncIterator[None]:
    async with DB.transaction():
        await DB.run_ddl("SET LOCAL synchronous_commit TO OFF")
        yield


class _KeptOpen:
    """A connection whose `close()` does nothing, so a transaction can borrow it."""

    def __init__(self, connection: Any) -> None:
        self._connection = connection

    def __getattr__(self, name: str) -> Any:
        return getattr(self._connection, name)

    async def close(self) -> None:
        return None


class _HeldConnectionTransaction(SQLiteTransaction):
    """An immediate SQLite transaction on a connection that outlives it."""

    def __init__(self, engine: SQLiteEngine, connection: Any) -> None:
        super().__init__(engine, TransactionType.immediate, allow_nested=False)
        self._held = connection

    async def get_connection(self) -> Any:
        return _KeptOpen(self._held)


async def open_database() -> None:
    """Start the PostgreSQL pool in the running loop; switch SQLite to WAL so reads never block."""
    if isinstance(DB, PostgresEngine):
        await DB.start_connection_pool(min_size=1, max_size=10)
    else:
        await DB.run_ddl("PRAGMA journal_mode=WAL")


async def close_database() -> None:
    if isinstance(DB, PostgresEngine):
        await DB.close_connection_pool()


def query_count() -> int:
    """Number of queries the engine has run; tests diff it to prove pages have no N+1."""
    return DB.query_id


# What a failed INSERT/UPDATE on a constraint raises on either backend.
CONSTRAINT_ERRORS: tuple[type[Exception], ...] = (sqlite3.IntegrityError, UniqueViolationError)


def is_unique_violation(error: BaseException) -> bool:
    """True when a write failed on a UNIQUE constraint: for our idempotent writes that
    means "someone already did this", not a failure. SQLite reports every constraint as
    IntegrityError, so its message tells UNIQUE apart from the rest."""
    if isinstance(error, UniqueViolationError):
        return True
    return isinstance(error, sqlite3.IntegrityError) and "UNIQUE" in str(error)
