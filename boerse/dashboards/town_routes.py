"""Routes of the dashboards domain (town_routes)."""

CONTROLLERS: list = []
