"""Unique bit positions of the taxonomies, written by hand: SQLite cannot ADD a UNIQUE column.
NULLs (residents' own skills) do not clash on either backend."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-12-01T10:37:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "unique match bits"

STATEMENTS = (
    "CREATE UNIQUE INDEX field_of_action_match_bit ON field_of_action (match_bit)",
    "CREATE UNIQUE INDEX skill_match_bit ON skill (match_bit)",
    "CREATE UNIQUE INDEX language_match_bit ON language (match_bit)",
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="profiles", description=DESCRIPTION)

    async def create_indexes():
        for statement in STATEMENTS:
            await Table.raw(statement)

    manager.add_raw(create_indexes)
    return manager
