"""Piccolo app of the replies domain: the administration's replies to results (Sie haben gesagt – wir haben gehandelt)."""

import os

from piccolo.conf.apps import AppConfig, table_finder

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="replies",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),
    table_classes=table_finder(modules=["boerse.replies.tables"], exclude_imported=True),
    migration_dependencies=[
        "boerse.goals.piccolo_app",
        "boerse.questionnaires.piccolo_app",
    ],
    commands=[],
)
