"""Piccolo app of the messages domain: what officers wrote to the participants of their dates."""

import os

from piccolo.conf.apps import AppConfig, table_finder

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="messages",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),
    table_classes=table_finder(modules=["boerse.messages.tables"], exclude_imported=True),
    migration_dependencies=[
        "boerse.accounts.piccolo_app",
        "boerse.opportunities.piccolo_app",
    ],
    commands=[],
)
