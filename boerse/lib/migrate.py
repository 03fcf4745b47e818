"""Apply every app's Piccolo migrations (the same set on SQLite and PostgreSQL)."""

from __future__ import annotations

import os

os.environ.setdefault("PICCOLO_CONF", "boerse.piccolo_conf")


async def migrate() -> None:
    from piccolo.apps.migrations.commands.forwards import run_forwards

    result = await run_forwards(app_name="all", migration_id="all", fake=False)
    if not result.success:
        raise SystemExit(f"Migration failed: {result.message}")
    from boerse.profiles.taxonomy import ensure_taxonomy
    from boerse.questionnaires.catalog import ensure_builtin_templates
    from boerse.requirements.taxonomy import ensure_qualifications

    # Curated rows added to the code later appear without a migration of their own.
    await ensure_taxonomy()
    await ensure_builtin_templates()
    await ensure_qualifications()
