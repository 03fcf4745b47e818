"""Where things are: postcode → coarse coordinates, distances and bounding boxes.

Postcodes resolve offline through the shipped gazetteer (data/plz_de.csv, built by
scripts/build_gazetteer.py) to the centroid of their own postcode area, so two postcodes of
one city are apart as far as their areas are. Street addresses go to a geopy geocoder only
when GEOCODER_URL is configured, and the result is rounded: we keep a neighbourhood, never a
house."""

from __future__ import annotations

import asyncio
import csv
import dataclasses
import logging
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from geopy.distance import EARTH_RADIUS, great_circle
from geopy.exc import GeopyError
from geopy.geocoders import Nominatim

from boerse.settings import get_settings

log = logging.getLogger(__name__)

GAZETTEER = Path(__file__).resolve().parent / "data" / "plz_de.csv"
POSTCODE_PATTERN = re.compile(r"^\d{5}$")
# Two decimals of a degree is about 1.1 km north–south: coarse enough to protect a home.
COORDINATE_DECIMALS = 2


@dataclass(frozen=True)
class Place:
    latitude: float
    longitude: float
    locality: str = ""
    postcode: str = ""

    def coarse(self) -> Place:
        return Place(
            round(self.latitude, COORDINATE_DECIMALS),
            round(self.longitude, COORDINATE_DECIMALS),
            self.locality,
            self.postcode,
        )


@lru_cache(maxsize=1)
def _gazetteer() -> dict[str, Place]:
    with GAZETTEER.open(newline="") as handle:
        return {
            row["postcode"]: Place(
                float(row["latitude"]), float(row["longitude"]), row["locality"], row["postcode"]
            )
            for row in csv.DictReader(handle)
        }


def normalise_postcode(value: str) -> str:
    return re.sub(r"\s+", "", value or "")


def is_valid_postcode(value: str) -> bool:
    return bool(POSTCODE_PATTERN.match(normalise_postcode(value)))


def place_of_postcode(postcode: str) -> Place | None:
    """Offline and instant; None for a code that does not exist. The town's own postcodes
    (`TOWN_POSTCODES`) carry the town's name: the gazetteer names the municipality (04178 is
    "Leipzig"), and residents and venues of the same street must not read two names."""
    code = normalise_postcode(postcode)
    settings = get_settings()
    town = _town_places(settings.town_name, settings.town_postcodes)
    return town.get(code) or _gazetteer().get(code)


@lru_cache(maxsize=1)
def _town_places(town_name: str, town_postcodes: tuple[str, ...]) -> dict[str, Place]:
    """The town's postcodes renamed once per setting, not on every lookup."""
    gazetteer = _gazetteer()
    return {
        code: dataclasses.replace(gazetteer[code], locality=town_name)
        for code in town_postcodes
        if code in gazetteer
    }


async def geocode(postcode: str, address: str = "") -> Place | None:
    """Coarse position of a postcode, refined by a street address when a geocoder is set up.

    The address itself is never returned or stored; a failing geocoder falls back to the
    postcode so that a form never fails because a remote service is down."""
    base = place_of_postcode(postcode)
    if address.strip() and get_settings().geocoder_url:
        refined = await _geocode_address(f"{address}, {normalise_postcode(postcode)}, Deutschland")
        if refined is not None:
            return Place(
                refined.latitude,
                refined.longitude,
                base.locality if base else "",
                normalise_postcode(postcode),
            ).coarse()
    return base.coarse() if base else None


async def _geocode_address(query: str) -> Place | None:
    settings = get_settings()
    url = settings.geocoder_url.rstrip("/")
    scheme, _, domain = url.partition("://")
    geocoder = Nominatim(
        domain=domain, scheme=scheme or "https", user_agent=settings.geocoder_user_agent, timeout=5
    )
    try:
        location = await asyncio.to_thread(geocoder.geocode, query, country_codes="de")
    except GeopyError as error:
        log.warning("geocoder failed (%s); using the postcode centroid", type(error).__name__)
        return None
    if location is None:
        return None
    return Place(location.latitude, location.longitude)


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance: within 0.5 % of geodesic over Germany and ~15× faster, which
    is plenty for ranking and for "2,4 km entfernt"."""
    return great_circle(a, b).km


@dataclass(frozen=True)
class BoundingBox:
    min_latitude: float
    max_latitude: float
    min_longitude: float
    max_longitude: float


def bounding_box(latitude: float, longitude: float, radius_km: float) -> BoundingBox:
    """The smallest latitude/longitude box containing the circle on the same sphere that
    `distance_km` measures on, so an indexed range query on it never drops a candidate."""
    angle = radius_km / EARTH_RADIUS
    delta_lat = math.degrees(angle)
    cos_lat = math.cos(math.radians(latitude))
    ratio = math.sin(angle) / cos_lat if cos_lat > 1e-9 else 2.0
    delta_lon = 180.0 if ratio >= 1 else math.degrees(math.asin(ratio))
    return BoundingBox(
        latitude - delta_lat, latitude + delta_lat, longitude - delta_lon, longitude + delta_lon
    )
