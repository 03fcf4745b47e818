"""The demo town's inventory shows offers of the Börse, co-production outside it, ideas and gaps."""

from __future__ import annotations

from boerse.dashboards.rollup import refresh_rollups
from boerse.demo.loader import load_demo
from boerse.inventory import services


async def test_demo_matrix_has_offers_external_entries_ideas_and_gaps() -> None:
    await load_demo()
    await refresh_rollups(full=True)

    matrix = await services.matrix()

    cells = [cell for row in matrix.rows for cell in row.cells]
    assert sum(cell.offers for cell in cells) > 20
    assert sum(cell.participants for cell in cells) > 0 and sum(cell.hours for cell in cells) > 0
    assert sum(cell.external for cell in cells) == 5
    assert sum(cell.ideas for cell in cells) == 3
    assert any(cell.external and not cell.offers for cell in cells)
    assert 0 < matrix.gaps < len(cells)
