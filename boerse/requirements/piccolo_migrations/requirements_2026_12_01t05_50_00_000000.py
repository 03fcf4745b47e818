"""Unique indexes over an expression, written by hand: one requirement and one record per
opportunity/person and kind, the certificate being the kind without a qualification."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-12-01T05:50:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "unique requirement and record per kind"

STATEMENTS = (
    "CREATE UNIQUE INDEX opportunity_requirement_unique "
    "ON opportunity_requirement (opportunity, COALESCE(qualification, 0))",
    'CREATE UNIQUE INDEX requirement_record_unique ON requirement_record ("user", '
    "COALESCE(qualification, 0))",
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="requirements", description=DESCRIPTION)

    async def create_indexes():
        for statement in STATEMENTS:
            await Table.raw(statement)

    manager.add_raw(create_indexes)
    return manager
