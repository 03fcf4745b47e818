"""Indexes of the rollups for the dashboards' two ways in: the whole town by month, and one
organisation by month (by hand: Piccolo's auto migrations make single-column indexes only)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-30T15:42:58:000000"
VERSION = "1.38.0"
DESCRIPTION = "rollup indexes by month and by organisation and month"

STATEMENTS = (
    "CREATE INDEX opportunity_month_month ON opportunity_month (month)",
    "CREATE INDEX opportunity_month_organisation ON opportunity_month (organisation, month)",
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="dashboards", description=DESCRIPTION)

    async def run():
        for statement in STATEMENTS:
            await Table.raw(statement)

    manager.add_raw(run)
    return manager
