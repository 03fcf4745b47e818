"""Data migration, written by hand: the built-in templates, and today's answers moved into
the generic model.

Every opportunity with rows in the legacy `survey_response` gets its questionnaire as a copy
of the built-in short feedback (German), and every legacy row becomes one completed
`Response` of that copy's version with one `Answer` per answered question. The work is
set-based: per group of opportunities a handful of INSERT … SELECT statements, whatever the
number of rows (a town may have 100,000), and the tally is recounted once at the end.

An opportunity that already has responses is left alone, so a second run changes nothing.
On a fresh database the legacy table does not exist yet (this app migrates before the
surveys app) and only the templates are written. Only columns that exist at this point of
the migration history are named, so later schema migrations cannot break this one."""

# Only placeholders ("{}") and constant identifiers are formatted into the SQL below; every
# value is a parameter.
# ruff: noqa: S608

from __future__ import annotations

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-30T12:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "built-in templates; legacy survey answers moved into responses and answers"

LEGACY_TABLE = "survey_response"
OPPORTUNITIES_PER_BATCH = 200
MARKER = "legacy:"
"""Prefix of a moved row's temporary `resume_hash`: joins each new response to its legacy
row while the answers are written; cleared before the batch ends."""

SCALE_COLUMNS: tuple[tuple[str, int], ...] = (
    ("overall_rating", 0),
    ("statement_well_organised", 1),
    ("statement_made_difference", 2),
    ("statement_would_recommend", 3),
)
"""Legacy column and the position of its question in the short feedback template."""
COMMENT_POSITION = 4
EXPECTED_KINDS = ("rating", "agreement", "agreement", "agreement", "long_text")


async def run(sql: str, *params: object) -> list[dict]:
    return await Table.raw(sql, *params)


async def legacy_table_exists() -> bool:
    from boerse.lib.db import is_sqlite

    if is_sqlite():
        rows = await run(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = {}", LEGACY_TABLE
        )
    else:
        rows = await run("SELECT to_regclass({})::text AS name", LEGACY_TABLE)
    return bool(rows and rows[0]["name"])


async def template_version_id() -> int:
    """The built-in short feedback's version, checked to ask the legacy questions in order."""
    from boerse.questionnaires.catalog import SHORT_FEEDBACK, builtin_template_id

    template_id = await builtin_template_id(SHORT_FEEDBACK, "de")
    versions = await run(
        "SELECT id FROM questionnaire_version WHERE questionnaire = {} ORDER BY number DESC",
        template_id,
    )
    version_id = versions[0]["id"]
    kinds = await run("SELECT kind FROM question WHERE version = {} ORDER BY position", version_id)
    if tuple(row["kind"] for row in kinds) != EXPECTED_KINDS:
        raise RuntimeError("the short feedback template no longer matches the legacy survey")
    return version_id


async def pending_opportunities() -> list[int]:
    """Opportunities with legacy answers and no responses yet."""
    rows = await run(
        f"SELECT DISTINCT s.opportunity AS id FROM {LEGACY_TABLE} s "
        "WHERE NOT EXISTS (SELECT 1 FROM response r WHERE r.opportunity = s.opportunity) "
        "ORDER BY s.opportunity"
    )
    return [row["id"] for row in rows]


def placeholders(values: list[int]) -> str:
    return ", ".join("{}" for _ in values)


async def create_questionnaires(opportunities: list[int], version_id: int, now) -> None:
    """A copy of the template (questionnaire, version 1, questions) for each opportunity that
    has none; one that has one gets a new version copied from the template, so the legacy
    answers keep the wording they answered. Three statements for the whole batch."""
    from boerse.questionnaires.model import new_version

    ids = placeholders(opportunities)
    existing = await run(
        f"SELECT id FROM questionnaire WHERE opportunity IN ({ids})",
        *opportunities,
    )
    for row in existing:  # not the case after this deployment; kept for safety
        await new_version(row["id"], version_id)
    await run(
        "INSERT INTO questionnaire (organisation, opportunity, kind, title, intro, language, "
        "is_template, reminder_days, created_at, updated_at) "
        "SELECT o.organisation, o.id, t.kind, t.title, t.intro, t.language, {}, "
        "t.reminder_days, {}, {} FROM opportunity o "
        "JOIN questionnaire_version tv ON tv.id = {} "
        "JOIN questionnaire t ON t.id = tv.questionnaire "
        f"WHERE o.id IN ({ids}) "
        "AND NOT EXISTS (SELECT 1 FROM questionnaire q WHERE q.opportunity = o.id)",
        False,
        now,
        now,
        version_id,
        *opportunities,
    )
    await run(
        "INSERT INTO questionnaire_version (questionnaire, number, created_at) "
        "SELECT q.id, 1, {} FROM questionnaire q "
        f"WHERE q.opportunity IN ({ids}) "
        "AND NOT EXISTS (SELECT 1 FROM questionnaire_version v WHERE v.questionnaire = q.id)",
        now,
        *opportunities,
    )
    await run(
        "INSERT INTO question (version, position, page, section, kind, text, help, required, "
        "options, allow_dont_know, per_stop, min_value, max_value) "
        "SELECT v.id, t.position, t.page, t.section, t.kind, t.text, t.help, t.required, "
        "t.options, t.allow_dont_know, t.per_stop, t.min_value, t.max_value "
        "FROM questionnaire q JOIN questionnaire_version v ON v.questionnaire = q.id "
        "JOIN question t ON t.version = {} "
        f"WHERE q.opportunity IN ({ids}) AND v.number = 1 "
        "AND NOT EXISTS (SELECT 1 FROM question x WHERE x.version = v.id)",
        version_id,
        *opportunities,
    )


LATEST_VERSION = "(SELECT MAX(v.id) FROM questionnaire_version v WHERE v.questionnaire = q.id)"


async def move_rows(opportunities: list[int]) -> None:
    """The batch's legacy rows as responses of their questionnaire's latest version (the
    copy just made), then one answer per answered question, joined through the marker."""
    ids = placeholders(opportunities)
    await run(
        "INSERT INTO response (questionnaire, version, opportunity, progress, completed, "
        "resume_hash, submitted_at) "
        f"SELECT q.id, {LATEST_VERSION}, s.opportunity, 1, {{}}, "
        "{} || CAST(s.id AS TEXT), s.submitted_at "
        f"FROM {LEGACY_TABLE} s JOIN questionnaire q ON q.opportunity = s.opportunity "
        f"WHERE s.opportunity IN ({ids})",
        True,
        MARKER,
        *opportunities,
    )
    joined = (
        f"FROM {LEGACY_TABLE} s JOIN response r ON r.resume_hash = {{}} || CAST(s.id AS TEXT) "
        "JOIN question x ON x.version = r.version AND x.position = {} "
        f"WHERE s.opportunity IN ({ids})"
    )
    insert = "INSERT INTO answer (response, question, choice, number, text) "
    for column, position in SCALE_COLUMNS:
        await run(
            insert
            + f"SELECT r.id, x.id, CAST(s.{column} AS TEXT), s.{column}, NULL "
            + joined
            + f" AND s.{column} IS NOT NULL",
            MARKER,
            position,
            *opportunities,
        )
    await run(
        insert
        + "SELECT r.id, x.id, NULL, NULL, s.comment "
        + joined
        + " AND TRIM(s.comment) <> ''",
        MARKER,
        COMMENT_POSITION,
        *opportunities,
    )
    await run("UPDATE response SET resume_hash = NULL WHERE resume_hash LIKE {}", MARKER + "%")


async def move_legacy_answers() -> int:
    """The whole data migration; returns how many opportunities' answers were moved."""
    from boerse.lib.db import utcnow, write_transaction
    from boerse.questionnaires.catalog import ensure_builtin_templates
    from boerse.questionnaires.tally import rebuild_tallies

    await ensure_builtin_templates()
    if not await legacy_table_exists():
        return 0
    async with write_transaction():
        version_id = await template_version_id()
        pending = await pending_opportunities()
        now = utcnow()
        for start in range(0, len(pending), OPPORTUNITIES_PER_BATCH):
            batch = pending[start : start + OPPORTUNITIES_PER_BATCH]
            await create_questionnaires(batch, version_id, now)
            await move_rows(batch)
        if pending:
            await rebuild_tallies()
    return len(pending)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="questionnaires", description=DESCRIPTION)

    async def move() -> None:
        await move_legacy_answers()

    manager.add_raw(move)
    return manager
