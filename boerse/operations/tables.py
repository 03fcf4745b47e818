"""Worker heartbeats: each worker process keeps one row fresh while it runs."""

from enum import StrEnum

from piccolo.columns import Timestamptz, Varchar
from piccolo.table import Table


class WorkerState(StrEnum):
    RUNNING = "running"
    WAITING_FOR_REDIS = "waiting_for_redis"
    STOPPING = "stopping"


class WorkerHeartbeat(Table):
    """One row per worker process, named `hostname:pid`; rows of processes that died without
    saying goodbye are removed a day after their last beat."""

    name = Varchar(length=120, unique=True)
    state = Varchar(length=30, default=WorkerState.RUNNING.value)
    started_at = Timestamptz()
    last_seen_at = Timestamptz()
