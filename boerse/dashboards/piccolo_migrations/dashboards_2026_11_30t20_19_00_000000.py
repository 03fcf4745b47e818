"""Fills the results overview's list from the monthly rollup that exists already, so the
overview does not wait for the worker's next rebuild after an upgrade."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-30T20:19:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "fill the results overview's list"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="dashboards", description=DESCRIPTION)

    async def fill_listing():
        from boerse.dashboards.rollup import rebuild_results_listing

        await rebuild_results_listing()

    async def empty_listing():
        await Table.raw("DELETE FROM results_listing")

    manager.add_raw(fill_listing)
    manager.add_raw_backwards(empty_listing)
    return manager
