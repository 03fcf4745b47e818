"""Build boerse/lib/data/plz_de.csv, the offline gazetteer of German postcodes.

Sources (ODbL 1.0, countries-states-cities-database): the PyPI packages
`countrystatecity-postal-codes` (postcode → locality, state) and `countrystatecity-countries`
(locality → coordinates). A postcode whose locality has no coordinates gets the centroid of
the postcodes sharing its longest prefix: German postcodes are allocated by region, so this
stays within a few kilometres, which is as coarse as we want positions to be anyway.

    .tools/bin/uv run --with countrystatecity-postal-codes --with countrystatecity-countries \
        python scripts/build_gazetteer.py
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

# The coordinates source names a few cities in English.
ALIASES = {"München": "Munich", "Hannover": "Hanover", "Köln": "Cologne"}


def locality_points() -> dict[tuple[str, str], Point]:
    states = files("countrystatecity_countries").joinpath("data/by-country/DE/states")
    points: dict[tuple[str, str], Point] = {}
    for state in states.iterdir():
        for city in json.loads(state.joinpath("cities.json").read_text()):
            points.setdefault(
                (state.name, city["name"]), (float(city["latitude"]), float(city["longitude"]))
            )
    return points


def centroid(points: list[Point]) -> Point:
    return statistics.fmean(p[0] for p in points), statistics.fmean(p[1] for p in points)


def main() -> None:
    localities = locality_points()
    postcodes = json.loads(
        files("countrystatecity_postal_codes")
        .joinpath("data/by-country/DE/postcodes.json")
        .read_text()
    )
    found: dict[str, list[Point]] = collections.defaultdict(list)
    names: dict[str, str] = {}
    for entry in postcodes:
        names.setdefault(entry["code"], entry["localityName"])
        base = entry["localityName"].split("/")[0].split(",")[0].strip()
        state = entry["stateCode"]
        point = (
            localities.get((state, entry["localityName"]))
            or localities.get((state, base))
            or localities.get((state, ALIASES.get(base, "")))
        )
        if point:
            found[entry["code"]].append(point)
    resolved = {code: (centroid(points), "locality") for code, points in found.items()}
    for prefix_length in (4, 3, 2, 1):
        by_prefix: dict[str, list[Point]] = collections.defaultdict(list)
        for code, (point, _) in resolved.items():
            by_prefix[code[:prefix_length]].append(point)
        for code in names:
            if code not in resolved and by_prefix.get(code[:prefix_length]):
                resolved[code] = (centroid(by_prefix[code[:prefix_length]]), "prefix")
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    with OUTPUT.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["postcode", "locality", "latitude", "longitude", "source"])
        for code in sorted(names):
            (lat, lon), source = resolved[code]
            writer.writerow([code, names[code], f"{lat:.4f}", f"{lon:.4f}", source])
    print(f"{len(names)} postcodes written to {OUTPUT}")


if __name__ == "__main__":
    main()
