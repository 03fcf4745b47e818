"""The inventory matrix against a hand-counted town; a fixed number of queries."""

from __future__ import annotations

from boerse.dashboards.rollup import refresh_rollups
from boerse.inventory import services
from boerse.opportunities.tables import Mode
from tests.inventory.helpers import external, small_town
from tests.support.factories import make_opportunity, make_organisation, make_session


def cell_of(matrix: services.Matrix, field: int, mode: Mode) -> services.Cell:
    row = next(row for row in matrix.rows if row.field_id == field)
    return next(cell for cell in row.cells if cell.mode == mode.value)


async def test_matrix_counts_offers_people_hours_and_external_entries() -> None:
    town = await small_town()
    await refresh_rollups(full=True)

    matrix = await services.matrix()

    deliver = cell_of(matrix, town.environment, Mode.CO_DELIVER)
    assert (deliver.running, deliver.past) == (1, 2)  # the closed one and the one with past dates
    assert deliver.participants == 2  # distinct: the absent one and the draft's do not count
    assert deliver.hours == 6.5
    assert deliver.external == 0
    assert not deliver.is_gap
    design = cell_of(matrix, town.environment, Mode.CO_DESIGN)
    assert (design.offers, design.external_running, design.external_past) == (0, 1, 1)
    assert not design.is_gap
    idea_only = cell_of(matrix, town.youth, Mode.CO_ASSESS)
    assert idea_only.is_gap and idea_only.ideas == 1
    assert len(matrix.rows) == 10 and all(len(row.cells) == 4 for row in matrix.rows)
    assert matrix.gaps == 10 * 4 - 2
    assert matrix.freshness.minutes_behind() == 0


async def test_cell_lists_offers_with_state_entries_and_ideas() -> None:
    town = await small_town()

    detail = await services.cell(town.environment, Mode.CO_DELIVER.value)

    assert detail is not None
    states = {
        offer.title: (offer.is_running, offer.participants, offer.hours) for offer in detail.offers
    }
    assert states == {
        "Bäume gießen": (True, 2, 3.5),
        "Laub sammeln": (False, 1, 3.0),
        "Müll sammeln": (False, 0, 0.0),
    }
    design = await services.cell(town.environment, Mode.CO_DESIGN.value)
    assert [entry.name for entry in design.external] == ["Baumpatenschaften", "Gemeinschaftsgarten"]
    youth = await services.cell(town.youth, Mode.CO_ASSESS.value)
    assert youth.is_gap and [idea.text for idea in youth.ideas] == ["Jugendcheck"]
    assert await services.cell(town.youth, "nonsense") is None
    assert await services.cell(999999, Mode.CO_ASSESS.value) is None


async def test_matrix_and_cell_run_a_fixed_number_of_queries(count_queries) -> None:
    town = await small_town()
    with count_queries() as small_matrix:
        await services.matrix()
    with count_queries() as small_cell:
        await services.cell(town.environment, Mode.CO_DELIVER.value)

    organisation = await make_organisation()
    for index in range(6):
        opportunity = await make_opportunity(organisation, mode=Mode.CO_DELIVER)
        await make_session(opportunity)
        await external(organisation, town.youth, Mode.CO_COMMISSION, name=f"Rat {index}")
    await refresh_rollups(full=True)
    with count_queries() as large_matrix:
        matrix = await services.matrix()
    with count_queries() as large_cell:
        detail = await services.cell(town.environment, Mode.CO_DELIVER.value)

    assert cell_of(matrix, town.environment, Mode.CO_DELIVER).running == 7
    assert len(detail.offers) == 9
    assert small_matrix.count == large_matrix.count == 6
    assert small_cell.count == large_cell.count
