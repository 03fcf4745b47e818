"""Audit log: which staff member did what, when and from which network."""
