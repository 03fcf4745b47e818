"""Routes of the inventory domain."""

CONTROLLERS: list = []
