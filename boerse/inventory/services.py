"""Queries of the inventory (Bestandsaufnahme): the matrix of fields of action × modes, one
cell's offers, co-production outside the Börse and ideas.

Every page runs a fixed number of queries: the matrix groups by (field, mode) in SQL, a
cell's page groups its offers' participation by offer, whatever the number of rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from piccolo.query.functions.aggregate import Count

from boerse.audit.actions import Action
from boerse.audit.services import record
from boerse.dashboards.freshness import Freshness, freshness
from boerse.dashboards.rollup import ROLLUP_NAME
from boerse.dashboards.tables import FieldModeParticipation
from boerse.inventory.tables import ExternalCoproduction, InventoryIdea
from boerse.lib.db import utcnow, write_transaction
from boerse.opportunities.labels import MODE_LABELS
from boerse.opportunities.tables import (
    HOLDING_STATUSES,
    Attendance,
    Opportunity,
    OpportunityStatus,
    SignUp,
)
from boerse.profiles.tables import FieldOfAction

MODES: tuple[str, ...] = tuple(MODE_LABELS)

# An offer is past when it was closed or when every one of its dates has ended; a published
# offer without dates, or with a date still to come, is running. Drafts are not co-production yet.
_STATE_SQL = """
CASE WHEN o.status = {} OR (s.last_end IS NOT NULL AND s.last_end < {})
     THEN 'past' ELSE 'running' END
"""
_LAST_END_SQL = """
LEFT JOIN (SELECT opportunity AS opportunity_id, MAX(ends_at) AS last_end
           FROM opportunity_session GROUP BY opportunity) s ON s.opportunity_id = o.id
"""
# Offers by state from the dashboards' rollup of each offer's last date (see `OfferState`).
_MATRIX_SQL = (
    "SELECT o.field AS field, o.mode AS mode, state, COUNT(*) AS offers FROM ("  # noqa: S608 - constant SQL, values bound
    "SELECT o.field, o.mode, "
    + _STATE_SQL.replace("s.last_end", "o.last_end")
    + " AS state FROM offer_state o) o GROUP BY o.field, o.mode, state"
)
_CELL_SQL = (
    "SELECT o.id AS id, o.title AS title, o.status AS status, o.organisation AS organisation_id, "  # noqa: S608 - constant SQL, values bound
    "org.name AS organisation_name, "
    "s.last_end AS last_end, "
    + _STATE_SQL
    + " AS state FROM opportunity o JOIN organisation org ON org.id = o.organisation "
    + _LAST_END_SQL
    + " WHERE o.status != {} AND o.field = {} AND o.mode = {} ORDER BY o.title"
)


@dataclass
class Cell:
    """One cell of the matrix: offers in the Börse and co-production outside it."""

    field_id: int
    mode: str
    running: int = 0
    past: int = 0
    participants: int = 0
    hours: float = 0.0
    external_running: int = 0
    external_past: int = 0
    ideas: int = 0

    @property
    def offers(self) -> int:
        return self.running + self.past

    @property
    def external(self) -> int:
        return self.external_running + self.external_past

    @property
    def is_gap(self) -> bool:
        """Nothing at all in this cell, inside or outside the Börse."""
        return self.offers == 0 and self.external == 0


@dataclass
class MatrixRow:
    field_id: int
    field_name: str
    cells: list[Cell]


@dataclass
class Matrix:
    rows: list[MatrixRow]
    modes: tuple[str, ...] = MODES
    freshness: Freshness = field(default_factory=lambda: Freshness(None))
    """When the participants and hours were counted (see `boerse.dashboards.rollup`)."""

    @property
    def gaps(self) -> int:
        return sum(cell.is_gap for row in self.rows for cell in row.cells)


async def fields() -> list[dict]:
    return await FieldOfAction.select(FieldOfAction.id, FieldOfAction.name).order_by(
        FieldOfAction.position
    )


async def matrix(now: dt.datetime | None = None) -> Matrix:
    """The whole matrix in six queries: fields, offers by state, participation, external
    entries and ideas, each grouped by (field, mode), and the participation's freshness.
    Offers by state and distinct people per cell come from the dashboards' rollups (rebuilt
    by the worker every few minutes): counting people over every sign-up took 1.5 s at town
    scale, finding every offer's last date 0.1 s."""
    now = now or utcnow()
    field_rows = await fields()
    cells = {(row["id"], mode): Cell(row["id"], mode) for row in field_rows for mode in MODES}
    offers = await Opportunity.raw(_MATRIX_SQL, OpportunityStatus.CLOSED.value, now)
    for row in offers:
        cell = cells.get((row["field"], row["mode"]))
        if cell is not None:
            setattr(cell, row["state"], int(row["offers"]))
    for row in await FieldModeParticipation.select():
        cell = cells.get((row["field"], row["mode"]))
        if cell is not None:
            cell.participants = row["participants"]
            cell.hours = float(row["hours"] or 0)
    external = await ExternalCoproduction.select(
        ExternalCoproduction.field,
        ExternalCoproduction.mode,
        ExternalCoproduction.running,
        Count(alias="entries"),
    ).group_by(ExternalCoproduction.field, ExternalCoproduction.mode, ExternalCoproduction.running)
    for row in external:
        cell = cells.get((row["field"], row["mode"]))
        if cell is not None:
            attribute = "external_running" if row["running"] else "external_past"
            setattr(cell, attribute, row["entries"])
    ideas = await InventoryIdea.select(
        InventoryIdea.field, InventoryIdea.mode, Count(alias="ideas")
    ).group_by(InventoryIdea.field, InventoryIdea.mode)
    for row in ideas:
        cell = cells.get((row["field"], row["mode"]))
        if cell is not None:
            cell.ideas = row["ideas"]
    rows = [
        MatrixRow(row["id"], row["name"], [cells[(row["id"], mode)] for mode in MODES])
        for row in field_rows
    ]
    return Matrix(rows, freshness=await freshness(ROLLUP_NAME))


# --- one cell ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CellOffer:
    id: int
    title: str
    organisation_id: int
    organisation_name: str
    is_published: bool
    is_running: bool
    participants: int
    hours: float


@dataclass(frozen=True)
class ExternalEntry:
    id: int
    name: str
    field_id: int
    mode: str
    organisation_id: int
    organisation_name: str
    description: str
    running: bool


@dataclass(frozen=True)
class Idea:
    id: int
    text: str
    organisation_name: str
    created_at: dt.datetime


@dataclass
class CellDetail:
    field_id: int
    field_name: str
    mode: str
    offers: list[CellOffer] = field(default_factory=list)
    external: list[ExternalEntry] = field(default_factory=list)
    ideas: list[Idea] = field(default_factory=list)

    @property
    def is_gap(self) -> bool:
        return not self.offers and not self.external


async def field_name(field_id: int) -> str | None:
    row = await FieldOfAction.select(FieldOfAction.name).where(FieldOfAction.id == field_id).first()
    return row["name"] if row else None


_EXTERNAL_COLUMNS = (
    ExternalCoproduction.id,
    ExternalCoproduction.name,
    ExternalCoproduction.field,
    ExternalCoproduction.mode,
    ExternalCoproduction.organisation,
    ExternalCoproduction.organisation.name.as_alias("organisation_name"),
    ExternalCoproduction.description,
    ExternalCoproduction.running,
)


def _external(row: dict) -> ExternalEntry:
    return ExternalEntry(
        id=row["id"],
        name=row["name"],
        field_id=row["field"],
        mode=row["mode"],
        organisation_id=row["organisation"],
        organisation_name=row["organisation_name"],
        description=row["description"],
        running=bool(row["running"]),
    )


# From the offers' dates to their sign-ups (indexed both ways), so a cell reads only its own
# sign-ups; the ids are integers from our own query, joined into the statement.
_OFFER_PARTICIPATION_SQL = """
SELECT s.opportunity AS opportunity_id, COUNT(DISTINCT su."user") AS participants,
       SUM(su.hours) AS hours
FROM opportunity_session s JOIN sign_up su ON su.session = s.id
WHERE su.status IN ({}, {}) AND (su.attendance IS NULL OR su.attendance != {})
  AND s.opportunity IN (%s)
GROUP BY s.opportunity
"""


async def _participation_by_offer(ids: list[int]) -> dict[int, tuple[int, float]]:
    """Distinct participants and recorded hours per offer, in one query."""
    if not ids:
        return {}
    sql = _OFFER_PARTICIPATION_SQL % ", ".join(str(int(id_)) for id_ in ids)
    rows = await SignUp.raw(sql, *HOLDING_STATUSES, Attendance.ABSENT.value)
    return {row["opportunity_id"]: (row["participants"], float(row["hours"] or 0)) for row in rows}


async def cell(field_id: int, mode: str, now: dt.datetime | None = None) -> CellDetail | None:
    """A cell's offers (with participants and hours each), external entries and ideas in
    five queries."""
    name = await field_name(field_id)
    if name is None or mode not in MODES:
        return None
    now = now or utcnow()
    rows = await Opportunity.raw(
        _CELL_SQL,
        OpportunityStatus.CLOSED.value,
        now,
        OpportunityStatus.DRAFT.value,
        field_id,
        mode,
    )
    participation = await _participation_by_offer([row["id"] for row in rows])
    offers = [
        CellOffer(
            id=row["id"],
            title=row["title"],
            organisation_id=row["organisation_id"],
            organisation_name=row["organisation_name"],
            is_published=row["status"] == OpportunityStatus.PUBLISHED.value,
            is_running=row["state"] == "running",
            participants=participation.get(row["id"], (0, 0.0))[0],
            hours=participation.get(row["id"], (0, 0.0))[1],
        )
        for row in rows
    ]
    external = (
        await ExternalCoproduction.select(*_EXTERNAL_COLUMNS)
        .where((ExternalCoproduction.field == field_id) & (ExternalCoproduction.mode == mode))
        .order_by(ExternalCoproduction.name)
    )
    ideas = (
        await InventoryIdea.select(
            InventoryIdea.id,
            InventoryIdea.text,
            InventoryIdea.organisation.name.as_alias("organisation_name"),
            InventoryIdea.created_at,
        )
        .where((InventoryIdea.field == field_id) & (InventoryIdea.mode == mode))
        .order_by(InventoryIdea.created_at, ascending=False)
    )
    return CellDetail(
        field_id=field_id,
        field_name=name,
        mode=mode,
        offers=offers,
        external=[_external(row) for row in external],
        ideas=[
            Idea(row["id"], row["text"], row["organisation_name"] or "", row["created_at"])
            for row in ideas
        ],
    )


# --- writing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExternalInput:
    name: str
    field_id: int
    mode: str
    description: str
    running: bool
    organisation_id: int | None = None
    """Chosen by administrators; officers enter for their own organisation."""


async def external_entry(entry_id: int) -> ExternalEntry | None:
    row = (
        await ExternalCoproduction.select(*_EXTERNAL_COLUMNS)
        .where(ExternalCoproduction.id == entry_id)
        .first()
    )
    return _external(row) if row else None


async def add_external(data: ExternalInput, organisation_id: int) -> int:
    async with write_transaction():
        rows = await ExternalCoproduction.insert(
            ExternalCoproduction(
                name=data.name,
                field=data.field_id,
                mode=data.mode,
                organisation=organisation_id,
                description=data.description,
                running=data.running,
            )
        ).returning(ExternalCoproduction.id)
        entry_id = rows[0]["id"]
        await record(Action.EXTERNAL_COPRODUCTION_ADDED, entry_id, summary=data.name)
    return entry_id


async def update_external(entry_id: int, data: ExternalInput) -> None:
    values = {
        ExternalCoproduction.name: data.name,
        ExternalCoproduction.field: data.field_id,
        ExternalCoproduction.mode: data.mode,
        ExternalCoproduction.description: data.description,
        ExternalCoproduction.running: data.running,
        ExternalCoproduction.updated_at: utcnow(),
    }
    if data.organisation_id is not None:
        values[ExternalCoproduction.organisation] = data.organisation_id
    async with write_transaction():
        await ExternalCoproduction.update(values).where(ExternalCoproduction.id == entry_id)
        await record(Action.EXTERNAL_COPRODUCTION_EDITED, entry_id, summary=data.name)


async def delete_external(entry: ExternalEntry) -> None:
    async with write_transaction():
        await ExternalCoproduction.delete().where(ExternalCoproduction.id == entry.id)
        await record(Action.EXTERNAL_COPRODUCTION_DELETED, entry.id, summary=entry.name)


async def add_idea(cell: CellDetail, text: str, organisation_id: int | None) -> int:
    """Notes an idea for the cell; the audit summary names the cell, never the idea's text
    (free text stays out of the log)."""
    field_id, mode = cell.field_id, cell.mode
    async with write_transaction():
        rows = await InventoryIdea.insert(
            InventoryIdea(field=field_id, mode=mode, text=text, organisation=organisation_id)
        ).returning(InventoryIdea.id)
        summary = f"{cell.field_name} · {MODE_LABELS[mode]}"
        await record(Action.INVENTORY_IDEA_ADDED, rows[0]["id"], summary=summary)
    return rows[0]["id"]
