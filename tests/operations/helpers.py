"""Taking Redis away from the application for one test, the way an outage would."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from boerse.lib import queue
from boerse.settings import get_settings
from tests.support.services import free_port


@asynccontextmanager
async def redis_unreachable() -> AsyncIterator[str]:
    """Points REDIS_URL at a port nobody listens on (connections are refused at once), and
    back afterwards; the shared connection is dropped both ways."""
    previous = os.environ["REDIS_URL"]
    closed = f"redis://127.0.0.1:{free_port()}/0"
    os.environ["REDIS_URL"] = closed
    get_settings.cache_clear()
    await queue.close_queue()
    try:
        yield closed
    finally:
        await queue.close_queue()
        os.environ["REDIS_URL"] = previous
        get_settings.cache_clear()
