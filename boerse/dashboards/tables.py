"""Tables of the dashboards domain: the state of the precomputed rollups.

Dashboards over a whole town cannot count a million answers per request; they read rollups
that the worker rebuilds every few minutes. Each rollup notes here when it was last rebuilt,
so every page that reads one can say how fresh its figures are."""

from __future__ import annotations

from piccolo.columns import Timestamptz, Varchar
from piccolo.table import Table


class RollupState(Table):
    name = Varchar(length=40, unique=True)
    refreshed_at = Timestamptz(null=True, default=None)
