"""Composite index on the opportunity's coordinates, written by hand: the bounding-box
pre-filter of the distance search is a range query on both columns."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-22T12:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "index on opportunity latitude and longitude"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="opportunities", description=DESCRIPTION)

    async def create_index():
        await Table.raw(
            "CREATE INDEX IF NOT EXISTS opportunity_lat_lon ON opportunity (latitude, longitude)"
        )

    async def drop_index():
        await Table.raw("DROP INDEX IF EXISTS opportunity_lat_lon")

    manager.add_raw(create_index)
    manager.add_raw_backwards(drop_index)
    return manager
