"""Tables of the inventory domain."""
