"""A SQLite engine that keeps its connections open between queries.

Piccolo's SQLiteEngine opens a new connection for every statement outside a transaction and
for every transaction: opening one reads and parses the whole schema again, 1.5–3 ms here,
more than most of our queries take. A list page with five statements spent more time
connecting than querying. This engine lends connections from a small pool of open ones
instead; in WAL mode (set by `open_database`) a connection that is not inside a transaction
sees every commit of the others at its next statement, so a kept connection reads exactly
what a new one would.

The pool lives only between `start_connection_pool` and `close_connection_pool` (the app's
and the worker's start-up and shutdown, the tests' session) and only in the event loop that
started it; outside that window, scripts and one-off commands get Piccolo's behaviour
unchanged. aiosqlite runs each connection in a thread that would keep the process from
exiting while the connection is open; a kept connection's thread is made a daemon, so a
process that ends without closing the pool (a failed start-up) still ends. An idle connection
holds no transaction, and WAL makes an abrupt end safe.
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiosqlite
from aiosqlite import Connection
from piccolo.engine.sqlite import (
    SQLiteEngine,
    SQLiteTransaction,
    TransactionType,
    dict_factory,
)

# Idle connections kept per process; more may be open at once under load and are closed
# when they come back to a full pool.
IDLE_CONNECTIONS = 8


class _Pool:
    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.idle: list[Connection] = []


class PooledSQLiteEngine(SQLiteEngine):
    """SQLiteEngine whose statements and transactions run on kept connections."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pool: _Pool | None = None

    async def start_connection_pool(self) -> None:
        if self._pool is None:
            self._pool = _Pool(asyncio.get_running_loop())

    async def close_connection_pool(self) -> None:
        """Closes the pool started in this event loop (another loop's, e.g. a test server's
        thread beside the tests' own loop, is left to that loop)."""
        pool = self._active_pool()
        if pool is None:
            return
        self._pool = None
        while pool.idle:
            await pool.idle.pop().close()

    def _active_pool(self) -> _Pool | None:
        """The pool if it was started in the running event loop."""
        pool = self._pool
        if pool is None:
            return None
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            return None
        return pool if pool.loop is running else None

    async def lease(self) -> Connection:
        pool = self._active_pool()
        if pool is None:
            return await self.get_connection()
        if pool.idle:
            return pool.idle.pop()
        return await self._open_kept_connection()

    async def _open_kept_connection(self) -> Connection:
        """As Piccolo's `get_connection`, with the connection's thread a daemon (set before
        it starts; aiosqlite has no public switch, and a missing attribute fails loudly)."""
        connection = aiosqlite.connect(**self.connection_kwargs)
        connection._thread.daemon = True
        await connection
        connection.row_factory = dict_factory
        await connection.execute("PRAGMA foreign_keys = 1")
        return connection

    async def give_back(self, connection: Connection) -> None:
        """Keeps the connection for the next statement, unless the pool is full or gone, or
        a failed statement left it inside a transaction (which would hold SQLite's lock)."""
        pool = self._active_pool()
        keep = pool is not None and len(pool.idle) < IDLE_CONNECTIONS
        if keep and not connection.in_transaction:
            pool.idle.append(connection)
            return
        await connection.close()

    async def _run_in_new_connection(
        self,
        query: str,
        args: list[Any] | None = None,
        query_type: str = "generic",
        table: Any = None,
    ) -> Any:
        if self._active_pool() is None:
            return await super()._run_in_new_connection(query, args, query_type, table)
        connection = await self.lease()
        try:
            # The connection is in autocommit mode (isolation_level=None): the statement is
            # committed when it has run.
            return await self._run_in_existing_connection(
                connection, query, args, query_type, table
            )
        finally:
            await self.give_back(connection)

    def transaction(
        self,
        transaction_type: TransactionType = TransactionType.deferred,
        allow_nested: bool = True,
    ) -> SQLiteTransaction:
        return _PooledTransaction(
            engine=self, transaction_type=transaction_type, allow_nested=allow_nested
        )


class _PooledTransaction(SQLiteTransaction):
    """A transaction on a lent connection, given back (not closed) when it ends."""

    engine: PooledSQLiteEngine

    async def get_connection(self) -> Connection:
        return await self.engine.lease()

    async def __aexit__(self, exception_type: Any, exception: Any, traceback: Any) -> bool:
        if self._parent:
            return exception is None
        try:
            if exception is not None:
                if not self._rolled_back:
                    await self.rollback()
            elif not self._committed and not self._rolled_back:
                await self.commit()
        finally:
            await self.engine.give_back(self.connection)
            self.engine.current_transaction.reset(self.context)
        return exception is None
