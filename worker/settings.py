"""arq WorkerSettings: collects the jobs that each domain declares in `boerse.<domain>.jobs`."""

from __future__ import annotations

import importlib
from typing import Any

# Each domain module lists FUNCTIONS and CRON_JOBS; adding a domain means adding it here.
JOB_MODULES = (
    "boerse.accounts.jobs",
    "boerse.outbox.jobs",
    "boerse.opportunities.jobs",
    "boerse.surveys.jobs",
    "boerse.assessments.jobs",
    "boerse.goals.jobs",
    "boerse.replies.jobs",
    "boerse.inventory.jobs",
    "boerse.dashboards.jobs",
    "boerse.matching.jobs",
    "boerse.audit.jobs",
    "boerse.retention.jobs",
    "boerse.messages.jobs",
    "boerse.requirements.jobs",
    "boerse.guests.jobs",
)


def _collect(attribute: str) -> list[Any]:
    collected: list[Any] = []
    for name in JOB_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
            continue
        collected.extend(getattr(module, attribute, []))
    return collected


class WorkerSettings:
    """What arq runs. `worker.runner` builds the Worker from it and owns the process's
    life (database, Redis outages, signals); Redis settings are resolved there, because
    resolving them may start the embedded Redis."""

    functions = _collect("FUNCTIONS")
    cron_jobs = _collect("CRON_JOBS")
    max_tries = 10
    # Small timeouts: a job killed with -9 is re-run once its in-progress key expires.
    job_timeout = 60
    keep_result = 3600
    health_check_interval = 30
