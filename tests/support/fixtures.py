"""Database, app, client, worker and mailbox fixtures shared by every domain's tests."""

from __future__ import annotations

import asyncio
import os
import re
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from piccolo.conf.apps import Finder
from piccolo.table import sort_table_classes

from boerse.lib import queue
from boerse.lib.db import (
    close_database,
    is_sqlite,
    open_database,
    query_count,
    write_transaction,
)
from boerse.lib.migrate import migrate
from boerse.piccolo_conf import DB
from boerse.profiles.taxonomy import ensure_taxonomy
from boerse.questionnaires.catalog import ensure_builtin_templates
from boerse.settings import get_settings
from tests.support.services import MAILBOX, FlakyRedis, Mailbox

CSRF_COOKIE = "boerse_csrf"


def _all_tables() -> list[Any]:
    return Finder().get_table_classes()


@pytest.fixture(scope="session")
async def database() -> AsyncIterator[None]:
    await migrate()
    await open_database()
    yield
    await queue.close_queue()
    await close_database()


class _Tables:
    """Empties the tables a test wrote to, for the next test, in one transaction.

    Only tables that hold rows are emptied (one query finds them), with DELETE, not
    TRUNCATE: PostgreSQL's TRUNCATE makes new files for every table it names, which took
    1.3 s per test for 63 nearly empty tables on this machine (2.5 s under load), against a
    few milliseconds for deleting a handful of rows. The id sequences that moved are
    restarted, as TRUNCATE's RESTART IDENTITY did, so every test sees ids from 1."""

    def __init__(self) -> None:
        # Children before parents: SQLite enforces ON DELETE RESTRICT row by row.
        self.names = [t._meta.tablename for t in reversed(sort_table_classes(_all_tables()))]
        self.probe = " UNION ALL ".join(
            f"SELECT '{n}' AS name WHERE EXISTS (SELECT 1 FROM \"{n}\")" for n in self.names
        )
        self.restart = ""

    async def prepare(self) -> None:
        """On PostgreSQL: the statement restarting our tables' sequences that were used
        (never Piccolo's own `migration` table's, whose rows stay)."""
        if is_sqlite():
            return
        owned = await DB.run_ddl(
            "SELECT s.relname AS sequence, t.relname AS owner FROM pg_class s "
            "JOIN pg_depend d ON d.objid = s.oid AND d.deptype IN ('a', 'i') "
            "JOIN pg_class t ON t.oid = d.refobjid WHERE s.relkind = 'S'"
        )
        sequences = sorted(row["sequence"] for row in owned if row["owner"] in self.names)
        if not sequences:
            return
        self.restart = (
            "SELECT setval(format('%I.%I', schemaname, sequencename), 1, false) "
            "FROM pg_sequences WHERE schemaname = current_schema() "
            # Sequences never read, or restarted already, show no last value.
            "AND last_value IS NOT NULL AND sequencename IN ("
            + ", ".join(f"'{name}'" for name in sequences)
            + ")"
        )

    async def empty(self) -> None:
        used = {row["name"] for row in await DB.run_ddl(self.probe)}
        async with write_transaction():
            for name in (n for n in self.names if n in used):
                await DB.run_ddl(f'DELETE FROM "{name}"')
            if self.restart:
                await DB.run_ddl(self.restart)


@pytest.fixture(scope="session")
async def tables(database: None) -> _Tables:
    found = _Tables()
    await found.prepare()
    return found


@pytest.fixture(autouse=True)
async def clean_state(tables: _Tables) -> AsyncIterator[None]:
    """Every test starts from migrated, empty tables (taxonomy and built-in questionnaire
    templates only), an empty queue and mailbox."""
    await tables.empty()
    await ensure_taxonomy()
    await ensure_builtin_templates()
    redis = await queue.connection()
    await redis.flushdb()
    MAILBOX.clear()
    yield


@pytest.fixture
def mailbox() -> Mailbox:
    return MAILBOX


class Client(httpx.AsyncClient):
    """An HTTP client for the ASGI app that fills in the CSRF token like a browser form does."""

    async def csrf_token(self) -> str:
        """The token a page would put into its forms for this client's cookies: bound to the
        session cookie when signed in, else to the pre-session cookie (fetched once)."""
        from boerse.accounts.auth import SESSION_COOKIE
        from boerse.lib.csrf import binding_of, make_token

        if not {SESSION_COOKIE, CSRF_COOKIE} & {cookie.name for cookie in self.cookies.jar}:
            await self.get("/impressum")
        cookies = {cookie.name: cookie.value for cookie in self.cookies.jar}
        return make_token(get_settings().secret_key, binding_of(cookies, SESSION_COOKIE))

    async def submit(
        self, url: str, data: dict[str, Any] | None = None, **kwargs: Any
    ) -> httpx.Response:
        payload = dict(data or {})
        payload["_csrf_token"] = await self.csrf_token()
        return await self.post(url, data=payload, **kwargs)


@pytest.fixture(scope="session")
async def app(database: None) -> Any:
    from boerse.app import create_app

    return create_app()


@pytest.fixture
async def client(app: Any) -> AsyncIterator[Client]:
    transport = httpx.ASGITransport(app=app)
    async with Client(transport=transport, base_url="http://testserver") as http:
        yield http


async def login(client: Client, email: str, password: str) -> None:
    response = await client.submit("/konto/anmelden", {"email": email, "password": password})
    assert response.status_code == 303, response.text[:500]


class QueryCounter:
    """Counts the SQL statements run inside a `with` block (read off the Piccolo engine)."""

    def __enter__(self) -> QueryCounter:
        self.start = query_count()
        return self

    def __exit__(self, *exc: object) -> None:
        self.count = query_count() - self.start


@pytest.fixture
def count_queries() -> type[QueryCounter]:
    return QueryCounter


async def run_worker() -> int:
    """Run the real arq worker until no job is due and none is running; returns jobs done.

    Like arq's burst mode, except that jobs deferred to the future (a survey run scheduled
    for a date's end) do not keep it waiting. The worker's own startup/shutdown hooks are
    left out because the test process already holds the database connection."""
    from arq.worker import Worker

    from worker.settings import WorkerSettings

    worker = Worker(
        functions=WorkerSettings.functions,
        cron_jobs=[],
        redis_settings=queue.redis_settings(),
        poll_delay=0.01,
        max_tries=WorkerSettings.max_tries,
        job_timeout=WorkerSettings.job_timeout,
        handle_signals=False,
    )
    main = asyncio.ensure_future(worker.main())
    try:
        while not main.done():
            await asyncio.sleep(0.05)
            if worker.pool is None or worker.tasks or worker.job_counter:
                continue  # not connected yet, or busy
            if await worker.pool.zcount(worker.queue_name, "-inf", time.time() * 1000) == 0:
                break
    finally:
        main.cancel()
        await asyncio.gather(main, return_exceptions=True)
        await worker.close()
    return worker.jobs_complete


@pytest.fixture
def flaky_redis(tmp_path: Path) -> Iterator[FlakyRedis]:
    redis = FlakyRedis(tmp_path)
    yield redis
    redis.stop()


@pytest.fixture
async def app_on(flaky_redis: FlakyRedis) -> AsyncIterator[None]:
    """Points the application's queue at the flaky server, and back afterwards."""
    previous = os.environ["REDIS_URL"]
    os.environ["REDIS_URL"] = flaky_redis.url
    get_settings.cache_clear()
    await queue.close_queue()
    yield
    await queue.close_queue()
    os.environ["REDIS_URL"] = previous
    get_settings.cache_clear()


LINK = re.compile(r"https?://[^\s<>\"]+")


def links_in(text: str) -> list[str]:
    return LINK.findall(text)
