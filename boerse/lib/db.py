"""Database lifecycle and the one way to open a writing transaction on either backend."""

from __future__ import annotations

import datetime as dt
import sqlite3

from asyncpg.exceptions import UniqueViolationError
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType

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
