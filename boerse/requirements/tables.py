"""Requirements of opportunities and the records that show a person meets them.

Of the extended certificate of conduct (erweitertes Führungszeugnis, § 72a SGB VIII) only
what § 72a Abs. 5 allows is kept: that it was seen, its date of issue and whether it has
relevant entries. No copy, no upload, no text of entries: there are no columns for them."""

from piccolo.columns import Boolean, Date, ForeignKey, Integer, OnDelete, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from boerse.accounts.tables import Organisation, User
from boerse.opportunities.tables import Opportunity


class Qualification(Table):
    """A curated qualification (first-aid course, Juleica, …); administrators add more.
    Retired entries stay for the requirements and records that name them."""

    slug = Varchar(length=60, unique=True)
    name = Varchar(length=120, unique=True)
    position = Integer(default=100)
    retired_at = Timestamptz(null=True, default=None)


class OpportunityRequirement(Table):
    """One requirement of an opportunity: a qualification, or (qualification NULL) the
    extended certificate of conduct. Unique per opportunity and qualification through an
    index on COALESCE(qualification, 0) (see the migrations)."""

    opportunity = ForeignKey(Opportunity, null=False, on_delete=OnDelete.cascade, index=True)
    qualification = ForeignKey(Qualification, null=True, on_delete=OnDelete.cascade)


class RequirementRecord(Table):
    """That an officer has seen a person's proof: a qualification (qualification set,
    optionally valid until a date) or the certificate (qualification NULL, with its date of
    issue and whether it has relevant entries). One row per person and kind; a renewal
    overwrites it."""

    user = ForeignKey(User, null=False, on_delete=OnDelete.cascade, index=True)
    qualification = ForeignKey(Qualification, null=True, on_delete=OnDelete.cascade)
    issued_on = Date(null=True, default=None)
    """Certificate only: its date of issue; it counts for five years from it."""
    relevant_entries = Boolean(null=True, default=None)
    """Certificate only: True when it has entries relevant under § 72a Abs. 1 SGB VIII."""
    valid_until = Date(null=True, default=None)
    """Qualification only, optional: the last day it is valid."""
    seen_at = Timestamptz(default=TimestamptzNow())
    organisation = ForeignKey(Organisation, null=True, on_delete=OnDelete.set_null, index=True)
    """The organisation whose officer saw the proof (the person's contact for a renewal)."""
    recorded_by = ForeignKey(User, null=True, on_delete=OnDelete.set_null)
    renewal_mailed_at = Timestamptz(null=True, default=None)
    """When the person was asked for a new certificate; reset by a renewal."""
