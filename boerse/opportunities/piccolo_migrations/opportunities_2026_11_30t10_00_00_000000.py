"""Full-text search, written by hand: PostgreSQL gets a GIN index on the `german` text search
vector of title, summary and description; SQLite gets the FTS5 table of Snowball stems that
`boerse.opportunities.fulltext` keeps (filled here for the offers that exist already)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.sqlite import SQLiteEngine
from piccolo.table import Table

from boerse.lib.db import DB
from boerse.opportunities.fulltext import index_all

ID = "2026-11-30T10:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "full-text search of opportunities"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="opportunities", description=DESCRIPTION)

    async def create_search():
        if isinstance(DB, SQLiteEngine):
            await Table.raw(
                "CREATE VIRTUAL TABLE IF NOT EXISTS opportunity_search USING fts5(terms)"
            )
            rows = await Table.raw("SELECT id, title, summary, description FROM opportunity")
            await index_all(rows)
        else:
            await Table.raw(
                "CREATE INDEX IF NOT EXISTS opportunity_fulltext ON opportunity USING GIN "
                "(to_tsvector('german', title || ' ' || summary || ' ' || description))"
            )

    async def drop_search():
        if isinstance(DB, SQLiteEngine):
            await Table.raw("DROP TABLE IF EXISTS opportunity_search")
        else:
            await Table.raw("DROP INDEX IF EXISTS opportunity_fulltext")

    manager.add_raw(create_search)
    manager.add_raw_backwards(drop_search)
    return manager
