"""The results overview's list in title order straight from an index (written by hand:
Piccolo's columns index one column each), so a page reads its 50 rows and no more."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-30T20:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "index of the results overview's list by title"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="dashboards", description=DESCRIPTION)

    async def create_index():
        await Table.raw(
            "CREATE INDEX IF NOT EXISTS results_listing_order"
            " ON results_listing (title_key, opportunity)"
        )

    async def drop_index():
        await Table.raw("DROP INDEX IF EXISTS results_listing_order")

    manager.add_raw(create_index)
    manager.add_raw_backwards(drop_index)
    return manager
