"""The public list's indexes on the kept next date, written by hand (Piccolo's columns index
one column each), and the next date of the offers that exist already."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

from boerse.opportunities.next_dates import refresh_next_starts

ID = "2026-11-30T19:48:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "indexes of the public list by next date and by publication"

# (status, next_starts_at): the first page by next date and the count of listed offers read
# only the index; (status, published_at): the newest first without sorting every offer.
INDEXES = {
    "opportunity_listing": "(status, next_starts_at)",
    "opportunity_newest": "(status, published_at)",
}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="opportunities", description=DESCRIPTION)

    async def create_indexes():
        for name, columns in INDEXES.items():
            await Table.raw(f"CREATE INDEX IF NOT EXISTS {name} ON opportunity {columns}")
        await refresh_next_starts()

    async def drop_indexes():
        for name in INDEXES:
            await Table.raw(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(create_indexes)
    manager.add_raw_backwards(drop_indexes)
    return manager
