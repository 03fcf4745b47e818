"""Enqueueing is best effort: with Redis down a request goes on, the outage is logged once,
and the queue is used again as soon as Redis is back (a real Redis that stops and starts)."""

from __future__ import annotations

import logging

import pytest

from boerse.lib import queue


async def test_enqueue_reports_an_outage_once_and_recovers(
    flaky_redis, app_on: None, caplog: pytest.LogCaptureFixture
) -> None:
    flaky_redis.start()
    assert await queue.enqueue("wake_delivery")
    assert await queue.queued_job_count() == 1

    flaky_redis.stop()
    with caplog.at_level(logging.INFO, logger="boerse.lib.queue"):
        assert not await queue.enqueue("wake_delivery")
        assert not await queue.enqueue("wake_delivery")
        assert await queue.queued_job_count() is None
        flaky_redis.start()
        assert await queue.enqueue("wake_delivery")

    events = [record.getMessage() for record in caplog.records if "event=" in record.getMessage()]
    assert events == [
        "event=queue_unreachable error=ConnectionError",
        "event=queue_reachable_again",
    ]
    assert await queue.queued_job_count() == 1  # the first job did not survive the restart


async def test_closing_twice_is_harmless(flaky_redis, app_on: None) -> None:
    flaky_redis.start()
    await queue.connection()
    await queue.close_queue()
    await queue.close_queue()
    assert await queue.queued_job_count() == 0
