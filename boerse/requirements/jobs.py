"""Worker job of the requirements domain: once a day, renewal requests and deletions.

Its own job rather than a step of `retention`: the rule (three months after the last
engagement in work that needs the record) belongs to this domain, and the retention run
deletes accounts whose records go with them by the foreign key's cascade anyway."""

from __future__ import annotations

import time
from typing import Any

from arq.cron import cron

from boerse.audit.actions import Action
from boerse.audit.services import record_now
from boerse.lib.db import utcnow
from boerse.lib.lifecycle import stop_requested
from boerse.lib.queue import enqueue
from boerse.outbox.services import wake_delivery
from boerse.requirements import upkeep

BUDGET_S = 40.0
TIMEOUT_S = 60


async def run_requirement_upkeep(ctx: dict[str, Any]) -> dict[str, int]:
    """Returns what it did (arq keeps it as the job's result)."""
    end = time.monotonic() + BUDGET_S

    def spent() -> bool:
        return stop_requested() or time.monotonic() > end

    today, now = upkeep.today(), utcnow()
    done = {"renewals": 0, "deleted": 0}
    while not spent() and (rows := await upkeep.renewals_due(today)):
        for row in rows:
            done["renewals"] += await upkeep.ask_for_renewal(row, now)
    after = 0
    while not spent():
        due, after = await upkeep.records_to_delete(today, after)
        done["deleted"] += await upkeep.delete_records(due)
        if not after:
            break
    if done["renewals"]:
        await wake_delivery()
    if done["deleted"]:
        await record_now(Action.REQUIREMENT_RECORDS_DELETED, count=done["deleted"])
    if spent():
        await enqueue("run_requirement_upkeep")
    return done


FUNCTIONS = [run_requirement_upkeep]
CRON_JOBS = [
    cron(run_requirement_upkeep, hour={4}, minute={40}, second={0}, timeout=TIMEOUT_S),
]
