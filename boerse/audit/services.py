"""Writing, listing and purging audit entries. Every query on the audit table lives here.

`record` is called by the services of other domains inside the transaction of the action
they audit, so an action and its entry are committed (or rolled back) together."""

from __future__ import annotations

import datetime as dt
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from boerse.audit.actions import ACTION_TARGETS, Action
from boerse.audit.context import Actor, current_actor
from boerse.audit.tables import AuditEntry
from boerse.lib.db import utcnow, write_transaction
from boerse.lib.formatting import TOWN_TIMEZONE

ENTRIES_PER_PAGE = 50
SUMMARY_LENGTH = 200
PURGE_BATCH = 2000

# Belt and braces: a summary is a title or a date, but a title may quote an address.
_EMAIL_LIKE = re.compile(r"[^\s@<>()\[\]]+@[^\s@<>()\[\]]+")


def clean_summary(text: str) -> str:
    """One line, no email addresses, at most SUMMARY_LENGTH characters."""
    one_line = " ".join(text.split())
    return _EMAIL_LIKE.sub("[…]", one_line)[:SUMMARY_LENGTH]


async def record(
    action: Action,
    target_id: int | None = None,
    *,
    summary: str = "",
    count: int | None = None,
    actor: Actor | None = None,
    occurred_at: dt.datetime | None = None,
) -> None:
    """Writes one entry for the current actor (or `actor`). Call it inside the action's
    `write_transaction()`; pass only non-personal text as summary (a title, a date).
    `occurred_at` is for the demo town's history only; actions are recorded as they happen."""
    who = actor or current_actor()
    await AuditEntry.insert(
        AuditEntry(
            occurred_at=occurred_at or utcnow(),
            actor_id=who.user_id,
            actor_role=who.role,
            actor_label=who.label[:100],
            action=action.value,
            target_type=ACTION_TARGETS[action].value,
            target_id=target_id,
            summary=clean_summary(summary),
            quantity=count,
            client_network=who.network,
        )
    )


async def record_now(action: Action, target_id: int | None = None, **details: object) -> None:
    """For an action that writes nothing else (a CSV export): its own short transaction."""
    async with write_transaction():
        await record(action, target_id, **details)  # type: ignore[arg-type]


# --- listing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryView:
    id: int
    occurred_at: dt.datetime
    actor_id: int | None
    actor_role: str
    actor_label: str
    action: str
    target_type: str
    target_id: int | None
    summary: str
    quantity: int | None
    client_network: str


@dataclass(frozen=True)
class AuditFilter:
    """What the admin narrowed the list to; dates are local days in the town's time zone."""

    actor_id: int | None = None
    action: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


@dataclass(frozen=True)
class ActorChoice:
    actor_id: int
    label: str


@dataclass(frozen=True)
class AuditPage:
    rows: list[EntryView]
    total: int
    page: int
    pages: int
    actors: list[ActorChoice]


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=TOWN_TIMEZONE).astimezone(dt.UTC)


def _conditions(selected: AuditFilter) -> list:
    conditions = []
    if selected.actor_id is not None:
        conditions.append(AuditEntry.actor_id == selected.actor_id)
    if selected.action:
        conditions.append(AuditEntry.action == selected.action)
    if selected.date_from is not None:
        conditions.append(AuditEntry.occurred_at >= _local_midnight(selected.date_from))
    if selected.date_to is not None:
        end = _local_midnight(selected.date_to + dt.timedelta(days=1))
        conditions.append(AuditEntry.occurred_at < end)
    return conditions


async def list_entries(selected: AuditFilter, page: int = 1) -> AuditPage:
    """Newest first, ENTRIES_PER_PAGE per page: three queries, however long the log."""
    conditions = _conditions(selected)
    total = await AuditEntry.count().where(*conditions)
    pages = max(1, math.ceil(total / ENTRIES_PER_PAGE))
    page = min(max(1, page), pages)
    rows = (
        await AuditEntry.select()
        .where(*conditions)
        .order_by(AuditEntry.occurred_at, AuditEntry.id, ascending=False)
        .limit(ENTRIES_PER_PAGE)
        .offset((page - 1) * ENTRIES_PER_PAGE)
    )
    return AuditPage(
        rows=[EntryView(**row) for row in rows],
        total=total,
        page=page,
        pages=pages,
        actors=await _actor_choices(),
    )


async def _actor_choices() -> list[ActorChoice]:
    """Everyone who appears in the log, by the latest label they acted under."""
    rows = (
        await AuditEntry.select(AuditEntry.actor_id, AuditEntry.actor_label)
        .where(AuditEntry.actor_id.is_not_null())
        .group_by(AuditEntry.actor_id, AuditEntry.actor_label)
    )
    labels: dict[int, str] = {}
    for row in rows:
        labels.setdefault(row["actor_id"], row["actor_label"])
    return sorted(
        (ActorChoice(actor_id, label) for actor_id, label in labels.items()),
        key=lambda choice: (choice.label.lower(), choice.actor_id),
    )


# --- retention -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PurgeRun:
    deleted: int
    more: bool


async def purge_older_than(
    cutoff: dt.datetime, *, budget_s: float, should_stop: Callable[[], bool] = lambda: False
) -> PurgeRun:
    """Deletes entries from before `cutoff` in batches of PURGE_BATCH, each its own short
    transaction, until none are left, the time budget is used or a stop is requested."""
    started = time.monotonic()
    deleted = 0
    while True:
        async with write_transaction():
            ids = [
                row["id"]
                for row in await AuditEntry.select(AuditEntry.id)
                .where(AuditEntry.occurred_at < cutoff)
                .limit(PURGE_BATCH)
            ]
            if ids:
                await AuditEntry.delete().where(AuditEntry.id.is_in(ids))
        deleted += len(ids)
        if len(ids) < PURGE_BATCH:
            return PurgeRun(deleted, more=False)
        out_of_time = time.monotonic() - started > budget_s
        if out_of_time or should_stop():
            return PurgeRun(deleted, more=True)
