"""A sign-up's last (re)sign-up time, for the officers' daily summary (the next migration
fills it for the rows that exist)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Timestamptz
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-01T10:37:20:937678"
VERSION = "1.38.0"
DESCRIPTION = "sign_up.signed_up_at: the last (re)sign-up"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="opportunities", description=DESCRIPTION)

    manager.add_column(
        table_class_name="SignUp",
        tablename="sign_up",
        column_name="signed_up_at",
        db_column_name="signed_up_at",
        column_class_name="Timestamptz",
        column_class=Timestamptz,
        params={
            "default": TimestamptzNow(),
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": True,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    return manager
