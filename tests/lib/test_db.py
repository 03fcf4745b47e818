"""boerse/lib/db.py: the PostgreSQL pool hands connections back without a reset query (the
last statement a released connection ran is our own, and one left inside a transaction is
rolled back by asyncpg before anyone else gets it); a CachedSelect is written once and run
with new values."""

from __future__ import annotations

from typing import Any

from piccolo.columns.combination import WhereRaw
from piccolo.engine.sqlite import SQLiteEngine

from boerse.accounts.tables import Organisation
from boerse.lib.db import CachedSelect, is_sqlite
from boerse.piccolo_conf import DB
from tests.support.factories import make_organisation


async def last_statement_and_state(pid: int) -> tuple[str, str]:
    watcher = await DB.get_new_connection()
    try:
        row = await watcher.fetchrow(
            "SELECT query, state FROM pg_stat_activity WHERE pid = $1", pid
        )
    finally:
        await watcher.close()
    return row["query"], row["state"]


async def test_a_released_connection_keeps_its_session_without_a_reset_query() -> None:
    if is_sqlite():  # the SQLite engine's kept connections have their own tests
        assert isinstance(DB, SQLiteEngine)
        return
    async with DB.pool.acquire() as connection:
        pid = connection.get_server_pid()
        assert await connection.fetchval("SELECT 'released without reset'") == (
            "released without reset"
        )
    assert await last_statement_and_state(pid) == ("SELECT 'released without reset'", "idle")


async def test_a_connection_released_inside_a_transaction_is_rolled_back() -> None:
    if is_sqlite():
        assert isinstance(DB, SQLiteEngine)
        return
    async with DB.pool.acquire() as connection:
        pid = connection.get_server_pid()
        await connection.execute("BEGIN")
        await connection.execute("CREATE TEMPORARY TABLE left_open (n int)")
        assert connection.is_in_transaction()
    assert await last_statement_and_state(pid) == ("ROLLBACK", "idle")


async def test_a_cached_select_is_written_once_and_runs_with_new_values() -> None:
    first = await make_organisation("Gartenfreunde")
    await make_organisation("Lesepaten")
    built = []

    def build() -> Any:
        built.append(True)
        return (
            Organisation.select(Organisation.name)
            .where(WhereRaw("organisation.id = id__ OR organisation.name = name__"))
            .order_by(Organisation.id)
        )

    select = CachedSelect(build, "id__", "name__")
    assert [row["name"] for row in await select.rows(first.id, "-")] == ["Gartenfreunde"]
    assert [row["name"] for row in await select.rows(0, "Lesepaten")] == ["Lesepaten"]
    assert (await select.first(first.id, "Lesepaten")) == {"name": "Gartenfreunde"}
    assert await select.first(0, "-") is None
    assert built == [True]
