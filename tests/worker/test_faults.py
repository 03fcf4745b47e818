"""The worker under faults, as an operator would meet them: real `boerse worker` processes
killed with SIGKILL mid-batch, stopped with SIGTERM, two at once, and a Redis server that
goes away and comes back. Nothing queued is lost; a mail goes out twice only when a kill
fell between the server's acceptance and the row being marked (at most one per kill)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from boerse.outbox import services
from boerse.outbox.tables import OutboxEmail, OutboxStatus
from tests.outbox.helpers import queue_many, queue_test_email
from tests.support.services import Mailbox
from tests.support.workers import WorkerProcess, wait_until

pytestmark = pytest.mark.slow

# Short leases, so a killed worker's claimed mails are due again within seconds.
LEASE_S = 12
# After the lease: the sweep runs every 15 s, then the mails need a moment to go out.
RECOVERY_BOUND_S = LEASE_S + 15 + 15


@pytest.fixture
def workers(tmp_path: Path) -> Iterator[list[WorkerProcess]]:
    started: list[WorkerProcess] = []
    yield started
    for worker in started:
        worker.stop_quietly()


def new_worker(workers: list[WorkerProcess], tmp_path: Path, **env: str) -> WorkerProcess:
    worker = WorkerProcess(
        tmp_path / f"worker-{len(workers)}.log", OUTBOX_LEASE_SECONDS=str(LEASE_S), **env
    )
    workers.append(worker)
    return worker.start()


def distinct(mailbox: Mailbox) -> int:
    return len(set(mailbox.message_ids()))


def duplicates(mailbox: Mailbox) -> int:
    return len(mailbox.message_ids()) - distinct(mailbox)


async def sent_rows() -> int:
    return await OutboxEmail.count().where(OutboxEmail.status == OutboxStatus.SENT.value)


async def test_a_worker_killed_mid_batch_loses_nothing(
    mailbox: Mailbox, workers: list[WorkerProcess], tmp_path: Path
) -> None:
    mailbox.delay_s = 0.01  # a slow mail server: the kill lands in the middle of the work
    await queue_many(300)
    first = new_worker(workers, tmp_path)
    await wait_until(lambda: distinct(mailbox) >= 40, within=60)

    first.kill()
    assert distinct(mailbox) < 300
    restarted = time.monotonic()
    new_worker(workers, tmp_path)
    await wait_until(lambda: distinct(mailbox) == 300, within=RECOVERY_BOUND_S + 30)

    assert time.monotonic() - restarted <= RECOVERY_BOUND_S + 30
    assert duplicates(mailbox) <= 1
    await wait_until(lambda: sent_rows_equal(300), within=10)


async def sent_rows_equal(count: int) -> bool:
    return await sent_rows() == count


async def test_two_kills_in_a_row_still_deliver_everything(
    mailbox: Mailbox, workers: list[WorkerProcess], tmp_path: Path
) -> None:
    mailbox.delay_s = 0.01
    await queue_many(300)
    for threshold in (40, 120):
        worker = new_worker(workers, tmp_path)
        await wait_until(lambda t=threshold: distinct(mailbox) >= t, within=90)
        worker.kill()
    new_worker(workers, tmp_path)

    await wait_until(lambda: distinct(mailbox) == 300, within=RECOVERY_BOUND_S + 60)

    assert duplicates(mailbox) <= 2


async def test_sigterm_finishes_the_mail_in_hand_and_leaves_nothing_claimed(
    mailbox: Mailbox, workers: list[WorkerProcess], tmp_path: Path
) -> None:
    mailbox.delay_s = 0.01
    await queue_many(300)
    worker = new_worker(workers, tmp_path)
    await wait_until(lambda: distinct(mailbox) >= 30, within=60)

    assert worker.terminate(timeout=30) == 0

    assert await OutboxEmail.count().where(OutboxEmail.status == OutboxStatus.SENDING.value) == 0
    assert await sent_rows() == distinct(mailbox) < 300
    assert duplicates(mailbox) == 0
    assert "event=worker_stopping signal=SIGTERM" in worker.log()


async def test_two_workers_at_once_never_send_the_same_mail_twice(
    mailbox: Mailbox, workers: list[WorkerProcess], tmp_path: Path
) -> None:
    mailbox.delay_s = 0.005
    await queue_many(400)
    for _ in range(2):
        new_worker(workers, tmp_path)

    await wait_until(lambda: distinct(mailbox) == 400, within=90)

    assert duplicates(mailbox) == 0
    assert all("deliver_outbox" in worker.log() for worker in workers)


async def test_the_worker_rides_out_a_redis_outage(
    mailbox: Mailbox, workers: list[WorkerProcess], tmp_path: Path, flaky_redis, app_on: None
) -> None:
    """Redis stops while the worker runs: the worker stays up, says so once, keeps sending
    from the outbox table, and uses the queue again once Redis is back (the wake-up below
    goes through Redis: the sweep alone would take up to 15 s)."""
    flaky_redis.start()
    worker = new_worker(workers, tmp_path, REDIS_URL=flaky_redis.url)
    await queue_test_email("before:1")
    await wait_until(lambda: len(mailbox.messages) == 1, within=30)

    flaky_redis.stop()
    await queue_test_email("during:1")
    await wait_until(lambda: len(mailbox.messages) == 2, within=30)
    assert worker.running

    flaky_redis.start()
    await wait_until(lambda: "event=redis_back" in worker.log(), within=60)
    await queue_test_email("after:1")
    assert await services.wake_delivery()
    await wait_until(lambda: len(mailbox.messages) == 3, within=10)

    log = worker.log()
    assert worker.running
    assert log.count("event=redis_unreachable") == 1
    assert "@example.org" not in log
