"""Piccolo configuration: the engine follows DATABASE_URL, the registry lists one app per domain."""

from piccolo.conf.apps import AppRegistry
from piccolo.engine.postgres import PostgresEngine

from boerse.lib.sqlite_pool import PooledSQLiteEngine
from boerse.settings import get_settings


def _engine() -> PostgresEngine | PooledSQLiteEngine:
    settings = get_settings()
    if settings.is_sqlite:
        settings.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        # A generous timeout: SQLite has one writer and waiting beats "database is locked".
        return PooledSQLiteEngine(path=str(settings.sqlite_path), timeout=30)
    # asyncpg prepares every statement, and PostgreSQL switches a prepared statement to a
    # generic plan (one that ignores the parameters' values) from its 6th execution. For
    # the results pages' `WHERE x = $1 … GROUP BY` over a million answers that plan did one
    # index lookup per opportunity (≈ 930,000 heap blocks, 0.73 s instead of 0.1 s). Forcing
    # a custom plan costs a few hundred µs of planning per query and no plan switch can
    # ruin a page after its fifth visit.
    return PostgresEngine(
        config={
            "dsn": settings.database_url,
            "server_settings": {"plan_cache_mode": "force_custom_plan"},
        }
    )


DB = _engine()

APP_REGISTRY = AppRegistry(
    apps=[
        "boerse.accounts.piccolo_app",
        "boerse.profiles.piccolo_app",
        "boerse.opportunities.piccolo_app",
        "boerse.questionnaires.piccolo_app",
        "boerse.assessments.piccolo_app",
        "boerse.surveys.piccolo_app",
        "boerse.goals.piccolo_app",
        "boerse.replies.piccolo_app",
        "boerse.inventory.piccolo_app",
        "boerse.dashboards.piccolo_app",
        "boerse.outbox.piccolo_app",
        "boerse.matching.piccolo_app",
        "boerse.operations.piccolo_app",
        "boerse.audit.piccolo_app",
        "boerse.retention.piccolo_app",
        "boerse.legal.piccolo_app",
        "boerse.engagement.piccolo_app",
        "boerse.messages.piccolo_app",
        "boerse.requirements.piccolo_app",
        "boerse.guests.piccolo_app",
        "boerse.widget.piccolo_app",
        "boerse.partners.piccolo_app",
    ]
)
