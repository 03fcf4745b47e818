"""A guest's sign-up request, waiting for the click on the emailed link.

Kept apart from `SignUp` on purpose: until the link is opened nothing holds a place and no
account exists, so an address typed in by someone else leaves no trace but this row (and it
is deleted when it expires, see `services.delete_stale_requests`)."""

from piccolo.columns import ForeignKey, Integer, OnDelete, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from boerse.opportunities.tables import OpportunitySession


class GuestSignUpRequest(Table):
    """Who wants which date with how many companions; the token exists only in the mail."""

    token_hash = Varchar(length=64, unique=True)
    session = ForeignKey(OpportunitySession, null=False, on_delete=OnDelete.cascade, index=True)
    email = Varchar(length=254)
    display_name = Varchar(length=100, default="")
    language = Varchar(length=5, default="de")
    companions = Integer(default=0)
    consent_at = Timestamptz()
    """When the privacy notice was accepted on the form (GDPR Art. 7(1))."""
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz(index=True)
    used_at = Timestamptz(null=True, default=None)
