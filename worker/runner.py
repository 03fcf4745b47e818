"""The worker process (`boerse worker`): arq's Worker, kept alive across Redis outages and
stopped gracefully.

arq leaves both to its caller: its Worker exits as soon as Redis drops the connection, and
on SIGTERM it cancels running jobs at once. Here a lost Redis means waiting with growing
pauses (logged once per outage) while mails keep going out straight from the outbox table,
and SIGTERM lets each delivery pass finish the mail in hand and give back the rest."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import os
import signal
import socket
from dataclasses import dataclass, field

import uvloop
from arq.worker import Worker
from redis.exceptions import RedisError

from boerse.lib import lifecycle
from boerse.lib.db import close_database, open_database, utcnow
from boerse.lib.logs import configure_logging
from boerse.lib.queue import close_queue, connection, redis_settings
from boerse.operations.services import forget_heartbeat, record_heartbeat
from boerse.outbox.jobs import deliver_outbox
from worker.settings import WorkerSettings

log = logging.getLogger("boerse.worker")

# SIGTERM: running jobs get this long to finish (compose waits 30 s before SIGKILL).
GRACE_S = 20.0
HEARTBEAT_S = 10.0
LONGEST_REDIS_PAUSE_S = 30.0
# Errors that mean "Redis is gone", from arq's pool or from our own connection.
REDIS_ERRORS = (RedisError, OSError)


@dataclass
class WorkerProcess:
    """What the heartbeat reports about this process."""

    name: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}")
    started_at: dt.datetime = field(default_factory=utcnow)
    state: str = "running"
    stop: asyncio.Event = field(default_factory=asyncio.Event)


def run(burst: bool = False) -> int:
    configure_logging()
    # uvloop (installed with uvicorn, which serves the web side with it too) roughly halves
    # the cost of the many small socket round trips a delivery pass makes.
    return uvloop.run(serve(burst=burst))


async def serve(burst: bool = False) -> int:
    process = WorkerProcess()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, _request_stop, process, signum)
    lifecycle.clear_stop()
    await open_database()
    heartbeat = asyncio.create_task(_beat(process))
    try:
        while not process.stop.is_set():
            await wait_for_redis(process)
            if process.stop.is_set() or await run_arq(process, burst) == "done":
                break
    finally:
        heartbeat.cancel()
        await asyncio.gather(heartbeat, return_exceptions=True)
        with contextlib.suppress(Exception):
            await forget_heartbeat(process.name)
        await close_queue()
        await close_database()
    log.info("event=worker_stopped")
    return 0


def _request_stop(process: WorkerProcess, signum: int) -> None:
    log.info("event=worker_stopping signal=%s", signal.Signals(signum).name)
    process.state = "stopping"
    lifecycle.request_stop()
    process.stop.set()


async def run_arq(process: WorkerProcess, burst: bool) -> str:
    """Run arq until it ends ("done", burst mode), Redis is lost ("lost") or a stop is
    requested ("stopped")."""
    worker = _new_worker(burst)
    main = asyncio.create_task(worker.main())
    stopping = asyncio.create_task(process.stop.wait())
    await asyncio.wait({main, stopping}, return_when=asyncio.FIRST_COMPLETED)
    stopping.cancel()
    outcome = "stopped" if process.stop.is_set() else "done"
    if main.done() and not main.cancelled() and main.exception() is not None:
        error = main.exception()
        if not isinstance(error, REDIS_ERRORS):
            raise error
        log.warning("event=redis_lost error=%s", type(error).__name__)
        outcome = "lost"
    await _wind_down(worker, main)
    return outcome


def _new_worker(burst: bool) -> Worker:
    settings = WorkerSettings
    return Worker(
        functions=settings.functions,
        cron_jobs=settings.cron_jobs,
        redis_settings=redis_settings(),
        burst=burst,
        handle_signals=False,
        max_tries=settings.max_tries,
        job_timeout=settings.job_timeout,
        keep_result=settings.keep_result,
        health_check_interval=settings.health_check_interval,
    )


async def _wind_down(worker: Worker, main: asyncio.Task) -> None:
    """Pick no new job, let running ones finish within the grace time (a delivery pass
    stops after its current mail once a stop is requested), then cancel what is left."""
    worker.allow_pick_jobs = False
    running = [task for task in worker.tasks.values() if not task.done()]
    if running:
        await asyncio.wait(running, timeout=GRACE_S)
    main.cancel()
    await asyncio.gather(main, return_exceptions=True)
    try:
        await worker.close()
    except REDIS_ERRORS:
        # arq's close() ends with Redis calls; without Redis only the pool is left to close.
        with contextlib.suppress(*REDIS_ERRORS):
            await worker.pool.close(close_connection_pool=True)


async def wait_for_redis(process: WorkerProcess) -> None:
    """Return once Redis answers (or a stop is requested). Meanwhile the outbox is delivered
    straight from its table: nothing a resident is waiting for needs Redis to go out."""
    pause, reported = 1.0, False
    while not process.stop.is_set():
        if await _redis_answers():
            if reported:
                log.info("event=redis_back")
                process.state = "running"
            return
        if not reported:
            log.warning("event=redis_unreachable action=waiting_and_delivering_from_outbox")
            process.state, reported = "waiting_for_redis", True
        await deliver_outbox({})
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(process.stop.wait(), timeout=pause)
        pause = min(pause * 2, LONGEST_REDIS_PAUSE_S)


async def _redis_answers() -> bool:
    try:
        async with asyncio.timeout(3):
            await (await connection()).ping()
    except (*REDIS_ERRORS, TimeoutError):
        await close_queue()
        return False
    return True


async def _beat(process: WorkerProcess) -> None:
    """Every few seconds: this process is alive and in this state (the admin page and
    `boerse health --worker` read it). A database hiccup only skips a beat."""
    while True:
        try:
            await record_heartbeat(process.name, process.state, process.started_at)
        except Exception as error:
            log.warning("event=heartbeat_failed error=%s", type(error).__name__)
        await asyncio.sleep(HEARTBEAT_S)
