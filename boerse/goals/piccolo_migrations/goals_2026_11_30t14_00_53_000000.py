"""Unique pairs (by hand: SQLite cannot ALTER TABLE ADD CONSTRAINT) and the free-text
outcome goals of the opportunities turned into goals.

Each distinct non-empty text per field of action becomes one main goal of that field, and
every opportunity that carried the text is linked to it. The column `outcome_goal` stays
(nothing is lost) but is no longer shown or edited."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-30T14:00:53:000000"
VERSION = "1.38.0"
DESCRIPTION = "unique goal links; free-text outcome goals become goals"

STATEMENTS = (
    "CREATE UNIQUE INDEX opportunity_goal_key ON opportunity_goal (opportunity, goal)",
    "CREATE UNIQUE INDEX goal_indicator_key ON goal_indicator (goal, question)",
)


async def migrate_free_texts() -> None:
    """One query for the texts, one insert per distinct (text, field), one insert per link."""
    rows = await Table.raw(
        "SELECT id, field, outcome_goal FROM opportunity "
        "WHERE outcome_goal IS NOT NULL AND TRIM(outcome_goal) <> '' ORDER BY id"
    )
    goal_ids: dict[tuple[str, int], int] = {}
    for row in rows:
        text = " ".join(row["outcome_goal"].split())
        key = (text, row["field"])
        if key not in goal_ids:
            title = text if len(text) <= 200 else text[:199] + "…"
            created = await Table.raw(
                "INSERT INTO goal (parent, title, description, field, position, retired, "
                "created_at) VALUES (NULL, {}, {}, {}, {}, FALSE, CURRENT_TIMESTAMP) "
                "RETURNING id",
                title,
                text if title != text else "",
                row["field"],
                len(goal_ids),
            )
            goal_ids[key] = created[0]["id"]
        await Table.raw(
            "INSERT INTO opportunity_goal (opportunity, goal) VALUES ({}, {})",
            row["id"],
            goal_ids[key],
        )


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="goals", description=DESCRIPTION)

    async def run():
        for statement in STATEMENTS:
            await Table.raw(statement)
        await migrate_free_texts()

    manager.add_raw(run)
    return manager
