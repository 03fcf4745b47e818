"""Failed mails from before `failed_at` existed count as failed at their last claim.

Written by hand: Piccolo runs a migration's raw steps before its column changes."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-30T07:52:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "outbox: failed_at for mails that failed before it existed"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="outbox", description=DESCRIPTION)

    async def backfill():
        await Table.raw(
            "UPDATE outbox_email SET failed_at = coalesce(claimed_at, created_at)"
            " WHERE status = 'failed' AND failed_at IS NULL"
        )

    manager.add_raw(backfill)
    return manager
