"""The area the Börse serves: a town and the places around it, set by `TOWN_POSTCODE` and
`TOWN_RADIUS_KM`. A resident who lives outside it sees mostly online offers; the notice says
why and what to do (a larger radius, or the online offers), instead of leaving them puzzled."""

from __future__ import annotations

import math
from dataclasses import dataclass

from boerse.lib import geo
from boerse.profiles.schemas import MAX_RADIUS_KM
from boerse.settings import Settings, get_settings


@dataclass(frozen=True)
class AreaNotice:
    """A resident outside the served area: how far away, and the radius that would reach it."""

    town: str
    area_km: int
    distance_km: float
    radius_needed_km: int

    @property
    def radius_suggestable(self) -> bool:
        """A profile's radius goes up to MAX_RADIUS_KM; beyond that only online offers help."""
        return self.radius_needed_km <= MAX_RADIUS_KM


def area_notice(
    latitude: float | None,
    longitude: float | None,
    travel_radius_km: int,
    settings: Settings | None = None,
) -> AreaNotice | None:
    """None inside the area (or without a known position); a notice outside it, also when the
    resident's own radius already reaches the area (they still see why so little is near)."""
    settings = settings or get_settings()
    centre = geo.place_of_postcode(settings.town_postcode)
    if centre is None or latitude is None or longitude is None:
        return None
    distance = geo.distance_km((latitude, longitude), (centre.latitude, centre.longitude))
    if distance <= settings.town_radius_km:
        return None
    needed = max(travel_radius_km, math.ceil(distance - settings.town_radius_km / 2))
    return AreaNotice(settings.town_name, settings.town_radius_km, distance, needed)
