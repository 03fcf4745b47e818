"""Composite unique indexes, written by hand: SQLite cannot ALTER TABLE ADD CONSTRAINT."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-22T11:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "composite unique indexes"

STATEMENTS = (
        "CREATE UNIQUE INDEX opportunity_skill_unique ON opportunity_skill (opportunity, skill)",
        "CREATE UNIQUE INDEX sign_up_unique ON sign_up (session, \"user\")",
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="opportunities", description=DESCRIPTION)

    async def create_indexes():
        for statement in STATEMENTS:
            await Table.raw(statement)

    manager.add_raw(create_indexes)
    return manager
