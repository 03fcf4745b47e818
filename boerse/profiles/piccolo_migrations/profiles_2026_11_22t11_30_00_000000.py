"""Composite unique indexes, written by hand: SQLite cannot ALTER TABLE ADD CONSTRAINT."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-22T11:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "composite unique indexes"

STATEMENTS = (
        "CREATE UNIQUE INDEX profile_skill_unique ON profile_skill (profile, skill)",
        "CREATE UNIQUE INDEX profile_interest_unique ON profile_interest (profile, field)",
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="profiles", description=DESCRIPTION)

    async def create_indexes():
        for statement in STATEMENTS:
            await Table.raw(statement)

    manager.add_raw(create_indexes)
    return manager
