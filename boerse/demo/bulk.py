"""Batched multi-row inserts for the demo loader."""

from __future__ import annotations

from collections.abc import Sequence

from piccolo.table import Table

BATCH_SIZE = 250


async def insert_batched(table: type[Table], rows: Sequence[Table]) -> None:
    """Multi-row INSERTs in batches that stay below both engines' parameter limits; Piccolo
    sets the new ids on the row objects, which later tables refer to."""
    for start in range(0, len(rows), BATCH_SIZE):
        await table.insert(*rows[start : start + BATCH_SIZE])
