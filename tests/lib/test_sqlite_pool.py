"""The SQLite engine's kept connections: reused, always current, never left in a transaction.

Each test builds its own engine on a file of its own, so the tests run on either backend."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from piccolo.engine.sqlite import TransactionType

from boerse.lib.sqlite_pool import IDLE_CONNECTIONS, PooledSQLiteEngine


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[PooledSQLiteEngine]:
    engine = PooledSQLiteEngine(path=str(tmp_path / "pool.sqlite"), timeout=0.2)
    await engine.run_ddl("PRAGMA journal_mode=WAL")
    await engine.run_ddl("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT UNIQUE)")
    await engine.start_connection_pool()
    yield engine
    await engine.close_connection_pool()


async def names(engine: PooledSQLiteEngine) -> list[str]:
    rows = await engine.run_ddl("SELECT name FROM item ORDER BY id")
    return [row["name"] for row in rows]


async def test_statements_reuse_one_kept_connection(engine: PooledSQLiteEngine) -> None:
    await engine.run_ddl("INSERT INTO item (name) VALUES ('a')")
    kept = list(engine._pool.idle)
    assert await names(engine) == ["a"]
    assert engine._pool.idle == kept and len(kept) == 1


async def test_a_kept_connection_sees_what_others_committed(
    engine: PooledSQLiteEngine, tmp_path: Path
) -> None:
    assert await names(engine) == []
    other = sqlite3.connect(tmp_path / "pool.sqlite", isolation_level=None)
    other.execute("INSERT INTO item (name) VALUES ('from elsewhere')")
    other.close()
    assert await names(engine) == ["from elsewhere"]


async def test_concurrent_statements_open_more_and_keep_a_few(engine: PooledSQLiteEngine) -> None:
    await asyncio.gather(*(names(engine) for _ in range(IDLE_CONNECTIONS + 4)))
    assert 1 <= len(engine._pool.idle) <= IDLE_CONNECTIONS


async def test_transactions_commit_and_roll_back_on_kept_connections(
    engine: PooledSQLiteEngine,
) -> None:
    async with engine.transaction(transaction_type=TransactionType.immediate):
        await engine.run_ddl("INSERT INTO item (name) VALUES ('kept')")
        async with engine.transaction():  # nested: the same transaction
            await engine.run_ddl("INSERT INTO item (name) VALUES ('nested')")
    with pytest.raises(RuntimeError):
        async with engine.transaction(transaction_type=TransactionType.immediate):
            await engine.run_ddl("INSERT INTO item (name) VALUES ('rolled back')")
            raise RuntimeError("the action failed")
    assert await names(engine) == ["kept", "nested"]
    assert not any(connection.in_transaction for connection in engine._pool.idle)


async def test_a_transaction_without_the_write_lock_never_keeps_its_transaction(
    engine: PooledSQLiteEngine, tmp_path: Path
) -> None:
    """A deferred transaction that cannot write (another writer holds the lock) must not
    come back to the pool still inside its transaction, or every later writer would wait
    for it and fail."""
    blocker = sqlite3.connect(tmp_path / "pool.sqlite", isolation_level=None, timeout=0.2)
    blocker.execute("BEGIN IMMEDIATE")
    with pytest.raises(sqlite3.OperationalError):
        async with engine.transaction():
            await engine.run_ddl("INSERT INTO item (name) VALUES ('blocked')")
    blocker.execute("ROLLBACK")
    blocker.close()
    assert not any(connection.in_transaction for connection in engine._pool.idle)
    await engine.run_ddl("INSERT INTO item (name) VALUES ('after')")
    assert await names(engine) == ["after"]


async def test_a_failed_statement_leaves_a_usable_connection(engine: PooledSQLiteEngine) -> None:
    await engine.run_ddl("INSERT INTO item (name) VALUES ('twice')")
    with pytest.raises(sqlite3.IntegrityError):
        await engine.run_ddl("INSERT INTO item (name) VALUES ('twice')")
    async with engine.transaction(transaction_type=TransactionType.immediate):
        await engine.run_ddl("INSERT INTO item (name) VALUES ('next')")
    assert await names(engine) == ["twice", "next"]


async def test_outside_the_pool_window_nothing_is_kept(engine: PooledSQLiteEngine) -> None:
    await engine.close_connection_pool()
    await engine.run_ddl("INSERT INTO item (name) VALUES ('unpooled')")
    assert engine._pool is None
    assert await names(engine) == ["unpooled"]


async def test_another_event_loop_neither_uses_nor_closes_the_pool(
    engine: PooledSQLiteEngine,
) -> None:
    await names(engine)
    kept = list(engine._pool.idle)
    seen: list[list[str]] = []

    def in_another_loop() -> None:
        async def visit() -> None:
            seen.append(await names(engine))
            await engine.close_connection_pool()

        asyncio.run(visit())

    thread = threading.Thread(target=in_another_loop)
    thread.start()
    thread.join(timeout=10)
    assert seen == [[]]
    assert engine._pool is not None and engine._pool.idle == kept


def test_a_process_that_never_closes_the_pool_still_exits(tmp_path: Path) -> None:
    script = (
        "import asyncio\n"
        "from boerse.lib.sqlite_pool import PooledSQLiteEngine\n"
        "async def main():\n"
        f"    engine = PooledSQLiteEngine(path={str(tmp_path / 'exit.sqlite')!r})\n"
        "    await engine.start_connection_pool()\n"
        "    await engine.run_ddl('SELECT 1')\n"
        "    raise SystemExit(3)\n"
        "asyncio.run(main())\n"
    )
    finished = subprocess.run([sys.executable, "-c", script], timeout=30, check=False)
    assert finished.returncode == 3
