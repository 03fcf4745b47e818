"""Denormalised matching index (placeholder until the index is built)."""
