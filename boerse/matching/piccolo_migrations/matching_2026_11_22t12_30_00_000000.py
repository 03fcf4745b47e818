"""The offers' covering index leads with the field of action, written by hand.

Recommendations read the offers of the resident's own fields first (see
boerse.matching.bounds.opportunity_phases) with `field_bit IN (...)`: with the field
before the coordinates each field is its own seek into the box, so the database walks
only the offers of those fields instead of every offer in the box."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-22T12:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "field of action first in the offers' covering index"

STATEMENTS = (
    "DROP INDEX opportunity_match_place",
    "CREATE INDEX opportunity_match_place ON opportunity_match"
    " (is_online, field_bit, latitude, longitude, required_mask, desired_mask, skills_weight,"
    " windows_mask, windows_count, hours_per_month, languages_mask, min_age, reach_km,"
    " free_until, last_start, mode, opportunity)",
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="matching", description=DESCRIPTION)

    async def create_indexes():
        for statement in STATEMENTS:
            await Table.raw(statement)

    manager.add_raw(create_indexes)
    return manager
