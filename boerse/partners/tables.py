"""API keys of partner agencies. The key itself is never stored: only its public prefix
(to find the row and to name the key in lists and audit entries) and the SHA-256 of its
secret part, so a copy of the table opens nothing."""

from enum import StrEnum

from piccolo.columns import ForeignKey, Integer, OnDelete, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from boerse.accounts.tables import Organisation, User


class KeyScope(StrEnum):
    READ = "read"
    """Reads the public API under the partner's own name and rate limit; with an
    organisation also that organisation's drafts and sign-up counts."""
    WRITE = "write"
    """Also creates and changes the opportunities and dates of its one organisation."""


class PartnerKey(Table):
    partner_name = Varchar(length=150)
    contact = Varchar(length=254, default="")
    """Who at the partner answers for the key (name, address or phone), for the admins."""
    organisation = ForeignKey(Organisation, null=True, on_delete=OnDelete.cascade, index=True)
    scope = Varchar(length=10, default=KeyScope.READ.value)
    prefix = Varchar(length=16, unique=True)
    secret_hash = Varchar(length=64)
    requests_per_minute = Integer(default=120)
    created_at = Timestamptz(default=TimestamptzNow())
    created_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null)
    expires_at = Timestamptz(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)
    last_used_at = Timestamptz(null=True, default=None)
