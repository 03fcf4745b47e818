"""Piccolo configuration: the engine follows DATABASE_URL, the registry lists one app per domain."""

from piccolo.conf.apps import AppRegistry
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine

from boerse.settings import get_settings


def _engine() -> PostgresEngine | SQLiteEngine:
    settings = get_settings()
    if settings.is_sqlite:
        settings.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        # A generous timeout: SQLite has one writer and waiting beats "database is locked".
        return SQLiteEngine(path=str(settings.sqlite_path), timeout=30)
    return PostgresEngine(config={"dsn": settings.database_url})


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
    ]
)
