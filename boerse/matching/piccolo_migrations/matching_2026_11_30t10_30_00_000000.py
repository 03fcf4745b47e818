"""Positions from the new gazetteer, written by hand (issue 8).

The old gazetteer gave every postcode of a city the city's one point, and profiles and
offers stored that point. Without a geocoder every stored position came from the
gazetteer, so each is recomputed from its postcode (rounded as the services round it) and
the matching index is rebuilt. With GEOCODER_URL set, positions may come from street
addresses and are left alone: they change when their owner saves them next."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

from boerse.lib.geo import place_of_postcode
from boerse.settings import get_settings

ID = "2026-11-30T10:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "positions of profiles and offers from the per-postcode gazetteer"


async def _reposition(table: str) -> int:
    rows = await Table.raw(f"SELECT id, postcode FROM {table} WHERE postcode <> ''")  # noqa: S608
    moved = 0
    for row in rows:
        place = place_of_postcode(row["postcode"])
        if place is None:
            continue
        coarse = place.coarse()
        await Table.raw(
            f"UPDATE {table} SET latitude = {{}}, longitude = {{}} WHERE id = {{}}",  # noqa: S608
            coarse.latitude,
            coarse.longitude,
            row["id"],
        )
        moved += 1
    return moved


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="matching", description=DESCRIPTION)

    async def reposition():
        if get_settings().geocoder_url:
            return
        moved = await _reposition("profile") + await _reposition("opportunity")
        if moved:
            from boerse.matching.index import rebuild_index

            await rebuild_index()

    manager.add_raw(reposition)
    return manager
