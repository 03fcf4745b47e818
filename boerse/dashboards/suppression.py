"""Which published counts must be withheld so that no small group can be seen or computed.

A count below the minimum could point at single people, so it is withheld (primary
suppression). That alone is not enough: when a total and all but one of its parts are
published, the missing part is their difference. So every relation between a total and its
parts is checked until nothing changes: whatever the shown parts leave of a shown total must
be nothing or at least the minimum, otherwise one more part (the smallest shown non-zero one,
which costs readers the least) or else the total is withheld (secondary suppression).

Pure functions on plain dicts, so the rule can be tested exhaustively without a database.
Zero is never withheld: "nobody" identifies nobody."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Relation:
    """A total and parts whose counts it contains.

    `partition`: the total is exactly the sum of the parts (a group's months, the town's
    groups per month). Otherwise the parts are a subset of the total (a main goal and one of
    its sub-goals), and total minus parts is the rest, which must not be small either."""

    total: Hashable
    parts: tuple[Hashable, ...]
    partition: bool = True


def _smallest_shown_part(
    relation: Relation, counts: Mapping[Hashable, int], hidden: set[Hashable]
) -> Hashable | None:
    """The shown non-zero part with the smallest count (the first of equals), if any."""
    candidates = [
        (counts.get(part, 0), index, part)
        for index, part in enumerate(relation.parts)
        if part not in hidden and counts.get(part, 0) > 0
    ]
    return min(candidates, key=lambda item: item[:2])[2] if candidates else None


def _next_to_hide(
    relation: Relation, counts: Mapping[Hashable, int], hidden: set[Hashable], minimum: int
) -> Hashable | None:
    """One more key to withhold so this relation gives nothing small away, or None."""
    total = counts.get(relation.total, 0)
    if relation.total in hidden:
        # A hidden total of a partition is still the sum of its parts when all are shown.
        if not relation.partition or total <= 0:
            return None
        if any(part in hidden and counts.get(part, 0) > 0 for part in relation.parts):
            return None
        return _smallest_shown_part(relation, counts, hidden)
    shown = sum(counts.get(part, 0) for part in relation.parts if part not in hidden)
    remainder = total - shown
    if not 0 < remainder < minimum:
        return None
    part = _smallest_shown_part(relation, counts, hidden)
    return relation.total if part is None else part


def suppressed_keys(
    counts: Mapping[Hashable, int], relations: Iterable[Relation], minimum: int
) -> set[Hashable]:
    """The keys whose counts must not be published (and nothing derived from them).

    Every key of a relation should be in `counts` (a missing one counts as 0)."""
    relations = list(relations)
    hidden = {key for key, count in counts.items() if 0 < count < minimum}
    changed = True
    while changed:
        changed = False
        for relation in relations:
            key = _next_to_hide(relation, counts, hidden, minimum)
            if key is not None:
                hidden.add(key)
                changed = True
    return hidden


def leaks(
    counts: Mapping[Hashable, int],
    relations: Iterable[Relation],
    hidden: set[Hashable],
    minimum: int,
) -> list[Relation]:
    """The relations that still let a reader compute a small group (empty when safe); used
    by tests and to check a published table before it leaves the server."""
    return [
        relation
        for relation in relations
        if any(
            key not in hidden and 0 < counts.get(key, 0) < minimum
            for key in (relation.total, *relation.parts)
        )
        or _next_to_hide(relation, counts, hidden, minimum) is not None
    ]
