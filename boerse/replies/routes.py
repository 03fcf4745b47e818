"""Routes of the replies domain."""

CONTROLLERS: list = []
