"""Piccolo app of the guests domain."""

import os

from piccolo.conf.apps import AppConfig, table_finder

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="guests",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),
    table_classes=table_finder(modules=["boerse.guests.tables"], exclude_imported=True),
    migration_dependencies=["boerse.opportunities.piccolo_app"],
    commands=[],
)
