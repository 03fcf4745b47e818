"""The texts of the legal pages, one row per page once an admin has saved it."""

from enum import StrEnum

from piccolo.columns import ForeignKey, OnDelete, Text, Timestamptz, Varchar
from piccolo.table import Table

from boerse.accounts.tables import User


class LegalPageKind(StrEnum):
    IMPRINT = "imprint"
    PRIVACY = "privacy"
    ACCESSIBILITY = "accessibility"


class LegalText(Table):
    """A page's Markdown as the admin last saved it. A page without a row shows the shipped
    default text, so a new installation has all three pages from the first request on."""

    kind = Varchar(length=20, unique=True)
    body = Text()
    updated_at = Timestamptz()
    updated_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null)
    """Who saved last; kept empty when that account is deleted (the audit log keeps the act)."""
