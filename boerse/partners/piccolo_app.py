"""Piccolo app of the partners domain: the API keys issued to partner agencies."""

import os

from piccolo.conf.apps import AppConfig, table_finder

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="partners",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),
    table_classes=table_finder(modules=["boerse.partners.tables"], exclude_imported=True),
    migration_dependencies=["boerse.accounts.piccolo_app"],
    commands=[],
)
