"""Tables of the dashboards domain: the state of the precomputed rollups.

Dashboards over a whole town cannot count a million answers per request; they read rollups
that the worker rebuilds every few minutes. Each rollup notes here when it was last rebuilt,
so every page that reads one can say how fresh its figures are."""

from __future__ import annotations

from piccolo.columns import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    OnDelete,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

from boerse.opportunities.tables import Opportunity


class RollupState(Table):
    name = Varchar(length=40, unique=True)
    refreshed_at = Timestamptz(null=True, default=None)


class MonthlyMeasures:
    """The month and the additive columns of `figures.Measures`, shared by every monthly
    rollup (Piccolo copies a mixin's columns into each table)."""

    month = Date()
    sign_ups = Integer(default=0)
    attended = Integer(default=0)
    hours = Float(default=0.0)
    first_timers = Integer(default=0)
    invitations = Integer(default=0)
    responses = Integer(default=0)
    rating_points = Float(default=0.0)
    rating_answers = Integer(default=0)
    agreeing = Integer(default=0)
    agreement_answers = Integer(default=0)


class OpportunityMonth(MonthlyMeasures, Table):
    """The additive figures (`figures.Measures`) of one opportunity in one month, rebuilt by
    `rollup.refresh_rollups`. The opportunity's organisation, field, mode and whether it was
    ever public are copied in, so every dashboard groups this table alone, without joins
    over a million answers."""

    opportunity = ForeignKey(Opportunity, null=False, on_delete=OnDelete.cascade, index=True)
    organisation = Integer()
    field = Integer()
    mode = Varchar(length=20)
    ever_published = Boolean(default=False)


class FieldModeParticipation(Table):
    """Distinct people and recorded hours per cell of the inventory (field of action × mode)
    over all time: distinct people do not add up from opportunities, so the inventory gets
    its own small rollup, rebuilt with `OpportunityMonth`."""

    field = Integer()
    mode = Varchar(length=20)
    participants = Integer(default=0)
    hours = Float(default=0.0)


class ScopeMonth(MonthlyMeasures, Table):
    """`OpportunityMonth` summed per organisation, field, mode, public flag and month, and
    once more for the whole town (`organisation` empty): a town-wide dashboard then reads a
    few thousand rows instead of one per opportunity and month."""

    organisation = Integer(null=True, default=None)
    field = Integer()
    mode = Varchar(length=20)
    ever_published = Boolean(default=False)


class GoalMonth(MonthlyMeasures, Table):
    """`OpportunityMonth` summed per goal (a main goal with its sub-goals' opportunities,
    each once), organisation (empty: the whole town), public flag and month."""

    goal = Integer()
    organisation = Integer(null=True, default=None)
    ever_published = Boolean(default=False)


class OfferState(Table):
    """Each opportunity that is not a draft with its field, mode, status and the end of its
    last date, for the inventory's running / past counts: grouping these few rows by the
    current time is quick, finding every offer's last date among all dates was not."""

    opportunity = ForeignKey(Opportunity, null=False, on_delete=OnDelete.cascade)
    field = Integer()
    mode = Varchar(length=20)
    status = Varchar(length=20)
    last_end = Timestamptz(null=True, default=None)


class ModeParticipation(Table):
    """Distinct people per co-production mode who took part in a date that had ended when
    the rollup was rebuilt, and once more for the whole town (`mode` empty), for the results
    overview: like `FieldModeParticipation`, distinct people do not add up from
    opportunities, and a person who takes part in two modes counts once in the town."""

    mode = Varchar(length=20, null=True, default=None)
    participants = Integer(default=0)


class ResultsListing(Table):
    """Each public opportunity's completed responses and overall rating over all months, with
    its title for sorting, for the results overview's list (rebuilt with `OpportunityMonth`).
    Summing the months of every offer on each visit cost time in proportion to the town; the
    list now reads 50 rows in title order from an index and counts the rest in another."""

    opportunity = ForeignKey(Opportunity, null=False, on_delete=OnDelete.cascade, unique=True)
    title = Varchar(length=150)
    title_key = Varchar(length=150, index=True)
    """The title in lower case: the list's sort order."""
    mode = Varchar(length=20)
    responses = Integer(default=0, index=True)
    rating_points = Float(default=0.0)
    rating_answers = Integer(default=0)
