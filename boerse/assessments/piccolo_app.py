"""Piccolo app of the assessments domain (standalone assessments with a public link)."""

import os

from piccolo.conf.apps import AppConfig, table_finder

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="assessments",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),
    table_classes=table_finder(modules=["boerse.assessments.tables"], exclude_imported=True),
    migration_dependencies=["boerse.questionnaires.piccolo_app"],
    commands=[],
)
