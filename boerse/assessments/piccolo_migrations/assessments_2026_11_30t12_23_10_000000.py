"""Composite unique index, written by hand: SQLite cannot ALTER TABLE ADD CONSTRAINT."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-30T12:23:10:000000"
VERSION = "1.38.0"
DESCRIPTION = "one participant row per assessment and account"

STATEMENTS = (
    "CREATE UNIQUE INDEX assessment_participant_key "
    'ON assessment_participant (assessment, "user")',
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="assessments", description=DESCRIPTION)

    async def create_indexes():
        for statement in STATEMENTS:
            await Table.raw(statement)

    manager.add_raw(create_indexes)
    return manager
