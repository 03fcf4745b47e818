"""Written by hand: the legacy answer table `survey_response` is dropped.

Its rows were moved into responses and answers by the questionnaires data migration
(`questionnaires_2026_11_30t12_30_00_000000`), which Piccolo runs before this one because the
surveys app depends on the questionnaires app. The drop is `DROP TABLE IF EXISTS` (the same on
SQLite and PostgreSQL), so a database where the table is already gone migrates as well.

The drop is registered with the manager (not as raw SQL) so that the schema snapshot Piccolo
builds from the migrations no longer holds `SurveyResponse`; otherwise the next
`piccolo migrations new surveys --auto` would write a second drop of the same table."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-30T13:15:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "drop the legacy survey_response table (answers now live in responses)"


class DropIfExistsManager(MigrationManager):
    """Drops its tables with IF EXISTS; going backwards is left to Piccolo (recreates them)."""

    async def _run_drop_tables(self, backwards: bool = False) -> None:
        if backwards:
            await super()._run_drop_tables(backwards=True)
            return
        for table in self.drop_tables:
            await self._run_query(table.to_table_class().alter().drop_table(if_exists=True))


async def forwards() -> MigrationManager:
    manager = DropIfExistsManager(migration_id=ID, app_name="surveys", description=DESCRIPTION)
    manager.drop_table(class_name="SurveyResponse", tablename="survey_response")
    return manager
