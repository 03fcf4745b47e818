"""Audit entries of staff actions. No foreign key to the account: an entry must stay
readable after the person's account is deleted, so who acted is kept as id, role and label."""

from piccolo.columns import Integer, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class AuditEntry(Table):
    """One staff action. Never holds answers, message bodies, passwords, tokens or residents'
    email addresses: `summary` is a title or date, `quantity` a number of rows or people."""

    occurred_at = Timestamptz(default=TimestamptzNow(), index=True)
    actor_id = Integer(null=True, default=None, index=True)
    """The account that acted; None for the system (worker, command line, demo loader)."""
    actor_role = Varchar(length=20, default="")
    actor_label = Varchar(length=100, default="")
    """The staff member's display name when they acted, so the entry still says who it was
    once the account is gone."""
    action = Varchar(length=40, index=True)
    target_type = Varchar(length=20, default="")
    target_id = Integer(null=True, default=None)
    summary = Varchar(length=200, default="")
    quantity = Integer(null=True, default=None)
    """How many rows or people the action concerned (an export, an attendance list)."""
    client_network = Varchar(length=50, default="")
    """The network the request came from (IPv4 /24, IPv6 /48), never the full address."""
