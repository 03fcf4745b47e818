"""The potential (Potenzialeinschätzung): per field of action and district, the hours a month
that interested residents offer against the hours that open offers still need.

Definitions (the page says them in short):

- **District**: the 5-digit postcode of a resident's profile or an offer's place; online
  offers form the row "online"; a profile or place without a valid postcode counts as
  "ohne PLZ".
- **Supply**: the residents who would appear under "Passende Freiwillige" — they allow
  invitations (`contact_ok`) — with an active, verified account (as for the weekly digest),
  counted once per field they are interested in, with the sum of their `hours_per_month`.
- **Demand**: per published offer, the free places of its dates starting in the next 30
  days × each date's length in hours; an offer without any dates (ongoing) asks for its own
  `hours_per_month` once (one open place); without that figure it asks for nothing we can
  count.
- **Balance**: supply − demand; "ausgeglichen" when the difference is at most 10 % of the
  larger side. Online offers have no district of their own: their row takes the field's
  overall assessment, since residents of every district can take part.

Counting 100,000 residents' interests per request is too slow for a page, so the worker
rebuilds a rollup (`PotentialCell`, `PotentialNeed`) every few minutes and the page says how
fresh it is. The rollup keeps raw counts; small groups are withheld when it is read, so a
new minimum group size applies at once."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from boerse.dashboards.freshness import freshness, mark_refreshed
from boerse.inventory.tables import PotentialCell, PotentialNeed
from boerse.lib.db import utcnow, write_transaction
from boerse.opportunities.tables import OpportunityStatus
from boerse.profiles.tables import FieldOfAction
from boerse.settings import get_settings

ROLLUP = "potential"
DEMAND_HORIZON = dt.timedelta(days=30)
ONLINE = "online"
NO_POSTCODE = ""
BALANCED_SHARE = 0.1
"""Supply and demand within 10 % of the larger one count as balanced: the inputs (hours a
month a resident says they have) are rough, so smaller differences mean nothing."""
NEEDS_SHOWN = 50
BATCH_SIZE = 250

Row = dict[str, Any]

# Each interest once per profile (a repeated row must not count a person twice).
_SUPPLY_SQL = """
SELECT i.field AS field, p.postcode AS postcode, COUNT(*) AS residents,
       SUM(p.hours_per_month) AS hours
FROM (SELECT DISTINCT profile, field FROM profile_interest) i
JOIN profile p ON p.id = i.profile
JOIN account_user u ON u.id = p."user"
WHERE p.contact_ok = TRUE AND u.is_active = TRUE AND u.email_verified_at IS NOT NULL
GROUP BY i.field, p.postcode
"""
_OFFERS_SQL = """
SELECT o.id AS id, o.field AS field, o.is_online AS is_online, o.postcode AS postcode,
       o.hours_per_month AS hours_per_month,
       EXISTS (SELECT 1 FROM opportunity_session s WHERE s.opportunity = o.id) AS dated
FROM opportunity o WHERE o.status = {}
"""
_FREE_DATES_SQL = """
SELECT s.opportunity AS opportunity, s.starts_at AS starts_at, s.ends_at AS ends_at,
       s.capacity - s.seats_taken AS free
FROM opportunity_session s JOIN opportunity o ON o.id = s.opportunity
WHERE o.status = {} AND s.starts_at >= {} AND s.starts_at < {} AND s.capacity > s.seats_taken
"""


def district_of(postcode: str | None, is_online: bool = False) -> str:
    """The district key: "online", a 5-digit postcode, or "" for none (or a malformed one)."""
    if is_online:
        return ONLINE
    code = (postcode or "").replace(" ", "")
    return code if len(code) == 5 and code.isdigit() else NO_POSTCODE


# --- the rollup ----------------------------------------------------------------------------


@dataclass
class _Cell:
    residents: int = 0
    supply_hours: float = 0.0
    demand_hours: float = 0.0
    open_places: int = 0
    offers: int = 0


@dataclass(frozen=True)
class RebuildResult:
    cells: int
    needs: int


async def _offer_demand(now: dt.datetime) -> list[tuple[Row, float, int]]:
    """(offer row, hours still needed, open places) of every published offer with demand."""
    published = OpportunityStatus.PUBLISHED.value
    offers = await PotentialCell.raw(_OFFERS_SQL, published)
    dates = await PotentialCell.raw(_FREE_DATES_SQL, published, now, now + DEMAND_HORIZON)
    hours: dict[int, float] = defaultdict(float)
    places: dict[int, int] = defaultdict(int)
    for date in dates:
        length = (date["ends_at"] - date["starts_at"]).total_seconds() / 3600
        hours[date["opportunity"]] += int(date["free"]) * max(0.0, length)
        places[date["opportunity"]] += int(date["free"])
    demand = []
    for offer in offers:
        if offer["dated"]:
            needed, open_places = hours.get(offer["id"], 0.0), places.get(offer["id"], 0)
        else:
            needed, open_places = float(offer["hours_per_month"] or 0), 1
        if needed > 0:
            demand.append((offer, round(needed, 2), open_places))
    return demand


async def rebuild_potential(now: dt.datetime | None = None) -> RebuildResult:
    """Recompute the rollup from the sources: three reading queries (grouped in SQL, so the
    work grows with districts and open offers, not with residents), then one write
    transaction that replaces the rows and marks the rollup fresh."""
    now = now or utcnow()
    cells: dict[tuple[int, str], _Cell] = defaultdict(_Cell)
    for row in await PotentialCell.raw(_SUPPLY_SQL):
        cell = cells[(row["field"], district_of(row["postcode"]))]
        cell.residents += int(row["residents"])
        cell.supply_hours += float(row["hours"] or 0)
    demand = await _offer_demand(now)
    for offer, needed, open_places in demand:
        cell = cells[(offer["field"], district_of(offer["postcode"], bool(offer["is_online"])))]
        cell.demand_hours += needed
        cell.open_places += open_places
        cell.offers += 1
    rows = [
        PotentialCell(
            field=field_id,
            district=district,
            residents=cell.residents,
            supply_hours=round(cell.supply_hours, 2),
            demand_hours=round(cell.demand_hours, 2),
            open_places=cell.open_places,
            offers=cell.offers,
        )
        for (field_id, district), cell in cells.items()
    ]
    async with write_transaction():
        await PotentialNeed.delete(force=True)
        await PotentialCell.delete(force=True)
        for start in range(0, len(rows), BATCH_SIZE):
            await PotentialCell.insert(*rows[start : start + BATCH_SIZE])
        ids = {
            (row["field"], row["district"]): row["id"]
            for row in await PotentialCell.select(
                PotentialCell.id, PotentialCell.field, PotentialCell.district
            )
        }
        needs = [
            PotentialNeed(
                cell=ids[
                    (offer["field"], district_of(offer["postcode"], bool(offer["is_online"])))
                ],
                opportunity=offer["id"],
                hours_needed=needed,
                open_places=open_places,
            )
            for offer, needed, open_places in demand
        ]
        for start in range(0, len(needs), BATCH_SIZE):
            await PotentialNeed.insert(*needs[start : start + BATCH_SIZE])
        await mark_refreshed(ROLLUP, now)
    return RebuildResult(cells=len(rows), needs=len(needs))


# --- reading: the table with small groups withheld ------------------------------------------


class Assessment(StrEnum):
    SURPLUS = "surplus"
    UNMET = "unmet"
    BALANCED = "balanced"
    WITHHELD = "withheld"


def assess(supply: float, demand: float) -> Assessment:
    """Surplus, unmet or balanced (within `BALANCED_SHARE` of the larger side)."""
    tolerance = BALANCED_SHARE * max(supply, demand)
    if supply - demand > tolerance:
        return Assessment.SURPLUS
    if demand - supply > tolerance:
        return Assessment.UNMET
    return Assessment.BALANCED


@dataclass(frozen=True)
class DistrictRow:
    """One district of a field (or the field's total, `district` None). `residents`,
    `supply_hours` and `balance` are None when withheld (or, for online, not applicable)."""

    district: str | None
    residents: int | None
    supply_hours: float | None
    demand_hours: float
    open_places: int
    offers: int
    assessment: Assessment
    cell_id: int | None = None
    small: bool = False
    """Withheld because its own group is small ("weniger als N"); a cell withheld only to
    cover a small one elsewhere is not small and must not be called so."""

    @property
    def balance(self) -> float | None:
        if self.supply_hours is None:
            return None
        return round(self.supply_hours - self.demand_hours, 2)

    @property
    def is_withheld(self) -> bool:
        return self.assessment is Assessment.WITHHELD

    @property
    def is_online(self) -> bool:
        return self.district == ONLINE

    @property
    def needs_volunteers(self) -> bool:
        """Its offers belong on the unmet list: demand not covered, or too few interested
        residents to tell (a withheld cell)."""
        return self.demand_hours > 0 and self.assessment in {
            Assessment.UNMET,
            Assessment.WITHHELD,
        }


@dataclass(frozen=True)
class FieldPotential:
    field_id: int
    field_name: str
    districts: list[DistrictRow]
    total: DistrictRow

    @property
    def quiet(self) -> list[DistrictRow]:
        """Withheld districts without demand: nothing to read in them but "few people", so
        the page names them in one sentence instead of a row each (the CSV keeps the rows)."""
        return [row for row in self.districts if row.is_withheld and not row.demand_hours]

    @property
    def listed(self) -> list[DistrictRow]:
        return [row for row in self.districts if not (row.is_withheld and not row.demand_hours)]


@dataclass(frozen=True)
class Need:
    """An open offer in a cell with unmet demand."""

    opportunity_id: int
    title: str
    organisation_id: int
    organisation_name: str
    field_name: str
    district: str
    hours_needed: float
    open_places: int


@dataclass
class PotentialTable:
    fields: list[FieldPotential]
    needs: list[Need]
    needs_total: int
    """Offers in cells with unmet demand; the list shows the `NEEDS_SHOWN` largest."""
    min_group: int
    refreshed_at: dt.datetime | None
    field_options: list[tuple[int, str]] = field(default_factory=list)
    selected_field: int | None = None


def withhold(districts: list[Row], min_group: int) -> set[int]:
    """Indexes of the district cells whose residents and hours are withheld: those with fewer
    than `min_group` residents (but some), and — when those together still make a group
    smaller than `min_group` — the next smallest visible ones until they do, so the field's
    total minus the visible districts never reveals a small group."""
    hidden = {i for i, row in enumerate(districts) if 0 < row["residents"] < min_group}
    hidden_residents = sum(districts[i]["residents"] for i in hidden)
    visible = sorted(
        (i for i, row in enumerate(districts) if i not in hidden and row["residents"] > 0),
        key=lambda i: districts[i]["residents"],
    )
    while 0 < hidden_residents < min_group and visible:
        extra = visible.pop(0)
        hidden.add(extra)
        hidden_residents += districts[extra]["residents"]
    return hidden


def _district_order(district: str) -> tuple[int, str]:
    return (
        0 if district not in {NO_POSTCODE, ONLINE} else 1 if district == NO_POSTCODE else 2,
        district,
    )


def _field_potential(field_id: int, name: str, cells: list[Row], min_group: int) -> FieldPotential:
    cells = sorted(cells, key=lambda row: _district_order(row["district"]))
    places = [row for row in cells if row["district"] != ONLINE]
    hidden = withhold(places, min_group)
    residents = sum(row["residents"] for row in places)
    supply = sum(row["supply_hours"] for row in places)
    demand = sum(row["demand_hours"] for row in cells)
    # The total is withheld when it is a small group itself, or when the hidden districts
    # (even with every other one hidden) are still a small group.
    hidden_residents = sum(places[i]["residents"] for i in hidden)
    total_hidden = 0 < residents < min_group or 0 < hidden_residents < min_group
    total = DistrictRow(
        district=None,
        residents=None if total_hidden else residents,
        supply_hours=None if total_hidden else round(supply, 2),
        demand_hours=round(demand, 2),
        open_places=sum(row["open_places"] for row in cells),
        offers=sum(row["offers"] for row in cells),
        assessment=Assessment.WITHHELD if total_hidden else assess(supply, demand),
        small=0 < residents < min_group,
    )
    rows = []
    for index, row in enumerate(places):
        withheld = index in hidden
        rows.append(
            DistrictRow(
                district=row["district"],
                residents=None if withheld else row["residents"],
                supply_hours=None if withheld else row["supply_hours"],
                demand_hours=row["demand_hours"],
                open_places=row["open_places"],
                offers=row["offers"],
                assessment=Assessment.WITHHELD
                if withheld
                else assess(row["supply_hours"], row["demand_hours"]),
                cell_id=row["id"],
                small=withheld and row["residents"] < min_group,
            )
        )
    rows += [
        DistrictRow(
            district=ONLINE,
            residents=None,
            supply_hours=None,
            demand_hours=row["demand_hours"],
            open_places=row["open_places"],
            offers=row["offers"],
            assessment=total.assessment,
            cell_id=row["id"],
        )
        for row in cells
        if row["district"] == ONLINE
    ]
    return FieldPotential(field_id, name, rows, total)


async def potential_table(field_id: int | None = None) -> PotentialTable:
    """The table from the rollup in four queries (fields, cells, the unmet list, freshness),
    whatever the number of residents and offers; `field_id` narrows it to one field."""
    min_group = max(1, get_settings().public_results_min_answers)
    field_rows = await FieldOfAction.select(FieldOfAction.id, FieldOfAction.name).order_by(
        FieldOfAction.position
    )
    names = {row["id"]: row["name"] for row in field_rows}
    if field_id not in names:
        field_id = None
    query = PotentialCell.select()
    if field_id is not None:
        query = query.where(PotentialCell.field == field_id)
    by_field: dict[int, list[Row]] = defaultdict(list)
    for row in await query:
        by_field[row["field"]].append(row)
    fields = [
        _field_potential(row["id"], row["name"], by_field.get(row["id"], []), min_group)
        for row in field_rows
        if field_id is None or row["id"] == field_id
    ]
    unmet = [
        (potential.field_name, row)
        for potential in fields
        for row in potential.districts
        if row.needs_volunteers and row.cell_id is not None
    ]
    needs = await _needs({row.cell_id: (name, row.district or "") for name, row in unmet})
    state = await freshness(ROLLUP)
    return PotentialTable(
        fields=fields,
        needs=needs,
        needs_total=sum(row.offers for _name, row in unmet),
        min_group=min_group,
        refreshed_at=state.refreshed_at,
        field_options=[(row["id"], row["name"]) for row in field_rows],
        selected_field=field_id,
    )


async def _needs(cells: dict[int, tuple[str, str]]) -> list[Need]:
    """The offers of the given cells that need the most hours, in one query (the cell ids are
    integers from the rollup, bound as a list)."""
    if not cells:
        return []
    rows = (
        await PotentialNeed.select(
            PotentialNeed.cell,
            PotentialNeed.opportunity,
            PotentialNeed.hours_needed,
            PotentialNeed.open_places,
            PotentialNeed.opportunity.title.as_alias("title"),
            PotentialNeed.opportunity.organisation.as_alias("organisation_id"),
            PotentialNeed.opportunity.organisation.name.as_alias("organisation_name"),
        )
        .where(PotentialNeed.cell.is_in(list(cells)))
        .order_by(PotentialNeed.hours_needed, ascending=False)
        .order_by(PotentialNeed.opportunity)
        .limit(NEEDS_SHOWN)
    )
    return [
        Need(
            opportunity_id=row["opportunity"],
            title=row["title"],
            organisation_id=row["organisation_id"],
            organisation_name=row["organisation_name"],
            field_name=cells[row["cell"]][0],
            district=cells[row["cell"]][1],
            hours_needed=row["hours_needed"],
            open_places=row["open_places"],
        )
        for row in rows
    ]
