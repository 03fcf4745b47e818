"""Backfill and index for the leased delivery queue, written by hand.

Piccolo runs a migration's raw steps before its column changes, so these follow the
migration that adds the columns. Rows queued before it are due at once."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-30T06:52:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "outbox: old rows due now; the claim reads by status and due time"

STATEMENTS = (
    "UPDATE outbox_email SET next_attempt_at = created_at WHERE next_attempt_at IS NULL",
    "CREATE INDEX outbox_email_due ON outbox_email (status, next_attempt_at)",
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="outbox", description=DESCRIPTION)

    async def backfill_and_index():
        for statement in STATEMENTS:
            await Table.raw(statement)

    manager.add_raw(backfill_and_index)
    return manager
