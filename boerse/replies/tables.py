"""Tables of the replies domain."""
