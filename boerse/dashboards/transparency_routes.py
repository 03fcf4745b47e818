"""Routes of the dashboards domain (transparency_routes)."""

CONTROLLERS: list = []
