"""Tables of the inventory domain: co-production outside the Börse and ideas per cell of the
town's inventory (field of action × mode), so the Bestandsaufnahme is complete."""

from piccolo.columns import Boolean, ForeignKey, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from boerse.accounts.tables import Organisation
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
