"""Piccolo app of the inventory domain: the town's co-production inventory and potential."""

import os

from piccolo.conf.apps import AppConfig, table_finder

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="inventory",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),
    table_classes=table_finder(modules=["boerse.inventory.tables"], exclude_imported=True),
    migration_dependencies=[
        "boerse.opportunities.piccolo_app",
    ],
    commands=[],
)
