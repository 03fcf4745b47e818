"""Routes of the goals domain."""

CONTROLLERS: list = []
