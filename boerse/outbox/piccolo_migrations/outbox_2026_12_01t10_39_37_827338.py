"""Outbox mails may carry further headers (List-Unsubscribe and its one-click POST)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Text
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-01T10:39:37:827338"
VERSION = "1.38.0"
DESCRIPTION = "outbox_email.headers: further headers of a mail"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="outbox", description=DESCRIPTION)

    manager.add_column(
        table_class_name="OutboxEmail",
        tablename="outbox_email",
        column_name="headers",
        db_column_name="headers",
        column_class_name="Text",
        column_class=Text,
        params={
            "default": "",
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    return manager
