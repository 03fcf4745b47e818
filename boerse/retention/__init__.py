"""Retention: unverified and inactive accounts are deleted, old participation anonymised."""
