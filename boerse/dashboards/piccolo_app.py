"""Piccolo app of the dashboards domain: the rollups behind the dashboards and their state."""

import os

from piccolo.conf.apps import AppConfig, table_finder

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="dashboards",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),
    table_classes=table_finder(modules=["boerse.dashboards.tables"], exclude_imported=True),
    migration_dependencies=[
        "boerse.opportunities.piccolo_app",
        "boerse.goals.piccolo_app",
    ],
    commands=[],
)
