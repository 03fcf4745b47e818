"""Routes of this domain (filled in by its issue work)."""

CONTROLLERS: list = []
