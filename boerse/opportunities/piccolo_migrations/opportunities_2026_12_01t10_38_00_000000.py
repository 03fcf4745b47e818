"""Sign-ups that existed before `signed_up_at` take their creation time: their last
re-sign-up, if any, was not recorded (written by hand: Piccolo runs a migration's raw steps
before its column changes)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-12-01T10:38:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "sign_up.signed_up_at of existing rows"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="opportunities", description=DESCRIPTION)

    async def backfill():
        await Table.raw("UPDATE sign_up SET signed_up_at = created_at")

    manager.add_raw(backfill)
    return manager
