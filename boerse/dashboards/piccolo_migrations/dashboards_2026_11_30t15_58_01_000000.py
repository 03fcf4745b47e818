"""Indexes of the compact rollups: the town's rows (organisation empty) or one organisation's,
by month (by hand: Piccolo's auto migrations make single-column indexes only)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-30T15:58:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "compact rollup indexes by organisation and month"

STATEMENTS = (
    "CREATE INDEX scope_month_organisation ON scope_month (organisation, month)",
    "CREATE INDEX goal_month_organisation ON goal_month (organisation, month)",
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="dashboards", description=DESCRIPTION)

    async def run():
        for statement in STATEMENTS:
            await Table.raw(statement)

    manager.add_raw(run)
    return manager
