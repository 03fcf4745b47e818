"""Composite unique indexes, written by hand: SQLite cannot ALTER TABLE ADD CONSTRAINT."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-22T12:03:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "one invitation per opportunity and person, one digest per person and week"

STATEMENTS = (
    'CREATE UNIQUE INDEX invitation_unique ON invitation (opportunity, "user")',
    'CREATE UNIQUE INDEX digest_sent_unique ON digest_sent ("user", week)',
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="matching", description=DESCRIPTION)

    async def create_indexes():
        for statement in STATEMENTS:
            await Table.raw(statement)

    manager.add_raw(create_indexes)
    return manager
