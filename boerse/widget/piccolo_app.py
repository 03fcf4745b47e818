"""Piccolo app of the widget domain: the websites allowed to embed the list of offers."""

import os

from piccolo.conf.apps import AppConfig, table_finder

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="widget",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),
    table_classes=table_finder(modules=["boerse.widget.tables"], exclude_imported=True),
    migration_dependencies=[],
    commands=[],
)
