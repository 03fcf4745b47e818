"""Composite unique indexes, written by hand: SQLite cannot ALTER TABLE ADD CONSTRAINT."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-30T12:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "one tally row per question, stop and option; one version per number"

STATEMENTS = (
    "CREATE UNIQUE INDEX answer_tally_key ON answer_tally (question, stop, choice)",
    "CREATE UNIQUE INDEX questionnaire_version_number "
    "ON questionnaire_version (questionnaire, number)",
    "CREATE UNIQUE INDEX questionnaire_template_key ON questionnaire (template_key, language)",
    "CREATE INDEX answer_question_stop ON answer (question, stop)",
)


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="questionnaires", description=DESCRIPTION
    )

    async def create_indexes():
        for statement in STATEMENTS:
            await Table.raw(statement)

    manager.add_raw(create_indexes)
    return manager
