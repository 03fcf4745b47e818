"""Routes (filled in by issue 9)."""

CONTROLLERS: list = []
