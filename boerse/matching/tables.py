"""Matching: invitations officers send to suitable residents, and the weekly digest log."""

from piccolo.columns import ForeignKey, OnDelete, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from boerse.accounts.tables import User
from boerse.opportunities.tables import Opportunity


class Invitation(Table):
    """One per opportunity and resident (unique index): nobody is invited twice."""

    opportunity = ForeignKey(Opportunity, null=False, on_delete=OnDelete.cascade, index=True)
    user = ForeignKey(User, null=False, on_delete=OnDelete.cascade, index=True)
    invited_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())


class DigestSent(Table):
    """One per resident and ISO week (unique index): the digest never goes out twice."""

    user = ForeignKey(User, null=False, on_delete=OnDelete.cascade, index=True)
    week = Varchar(length=10)
    """ISO week such as '2026-W48'."""
    created_at = Timestamptz(default=TimestamptzNow())
