"""Composite indexes of the matching index, written by hand (Piccolo only makes single-column
ones). Plain B-trees on purpose: the same statements run on SQLite and PostgreSQL.

- opportunity_match (is_online, latitude, longitude): recommendations seek the resident's
  bounding box among the offers with a place, and the online offers, as two index ranges.
- resident_match (contact_ok, radius_band, latitude, longitude): candidates of an offer are
  read band by band; within band b every resident's radius is at most RADIUS_BANDS[b], so
  only homes inside the box of that bound can reach the offer — one tight range per band
  instead of one box as wide as the largest radius anyone chose."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-22T12:07:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "spatial composite indexes of the matching index"

STATEMENTS = (
    "CREATE INDEX opportunity_match_place ON opportunity_match (is_online, latitude, longitude)",
    "CREATE INDEX resident_match_reach"
    " ON resident_match (contact_ok, radius_band, latitude, longitude)",
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="matching", description=DESCRIPTION)

    async def create_indexes():
        for statement in STATEMENTS:
            await Table.raw(statement)

    manager.add_raw(create_indexes)
    return manager
