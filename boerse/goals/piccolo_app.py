"""Piccolo app of the goals domain: outcome goals (Wirkungsziele) and their indicators."""

import os

from piccolo.conf.apps import AppConfig, table_finder

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="goals",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),
    table_classes=table_finder(modules=["boerse.goals.tables"], exclude_imported=True),
    migration_dependencies=[
        "boerse.opportunities.piccolo_app",
        "boerse.questionnaires.piccolo_app",
    ],
    commands=[],
)
