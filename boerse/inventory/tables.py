"""Tables of the inventory domain: co-production outside the Börse and ideas per cell of the
town's inventory (field of action × mode), so the Bestandsaufnahme is complete, and the
worker-built rollup of the potential (Potenzialeinschätzung)."""

from piccolo.columns import Boolean, Float, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from boerse.accounts.tables import Organisation
from boerse.opportunities.tables import Opportunity
from boerse.profiles.tables import FieldOfAction


class ExternalCoproduction(Table):
    """Co-production that runs without the Börse (a sports club's coaching, a neighbourhood
    garden): counted in its cell so gaps in the matrix are real gaps."""

    name = Varchar(length=150)
    field = ForeignKey(FieldOfAction, null=False, on_delete=OnDelete.restrict, index=True)
    mode = Varchar(length=20, index=True)
    organisation = ForeignKey(Organisation, null=False, on_delete=OnDelete.cascade, index=True)
    description = Text(default="")
    running = Boolean(default=True)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class InventoryIdea(Table):
    """An officer's idea for a new approach in one cell of the matrix."""

    field = ForeignKey(FieldOfAction, null=False, on_delete=OnDelete.cascade, index=True)
    mode = Varchar(length=20, index=True)
    text = Text()
    organisation = ForeignKey(Organisation, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())


class PotentialCell(Table):
    """One cell of the potential table (field of action × district), rebuilt by the worker:
    counting 100,000 residents' interests per request would be far too slow for the page.

    `district` is a 5-digit postcode, "online" for online offers, or "" (no postcode). The
    raw counts are kept; the page withholds small groups when it reads them, so a change of
    the minimum group size needs no rebuild."""

    field = ForeignKey(FieldOfAction, null=False, on_delete=OnDelete.cascade, index=True)
    district = Varchar(length=10, default="")
    residents = Integer(default=0)
    supply_hours = Float(default=0.0)
    demand_hours = Float(default=0.0)
    open_places = Integer(default=0)
    offers = Integer(default=0)


class PotentialNeed(Table):
    """An open offer's demand in the last rebuild: the unmet-demand list reads these rows of
    the cells whose demand is not covered, largest first."""

    cell = ForeignKey(PotentialCell, null=False, on_delete=OnDelete.cascade, index=True)
    opportunity = ForeignKey(Opportunity, null=False, on_delete=OnDelete.cascade, index=True)
    hours_needed = Float(default=0.0, index=True)
    open_places = Integer(default=0)
