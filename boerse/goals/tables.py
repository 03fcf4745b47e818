"""Tables of the goals domain."""
