"""Fills the index's new accessibility masks (written by hand, issue 12): the rows written
before carry 0, which would let a resident's hard filter pass every offer until the nightly
rebuild. A separate migration, because raw steps run before the columns are added."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-01T05:55:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "accessibility masks of the matching index from the profiles and offers"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="matching", description=DESCRIPTION)

    async def rebuild():
        from boerse.matching.index import rebuild_index

        await rebuild_index()

    manager.add_raw(rebuild)
    return manager
