"""Matching at town scale: `python -m benchmarks.matching [--residents N] [--opportunities M]`.

Builds a data set with a realistic spread — a dense city (Leipzig, 04xxx), its region (the
rest of 0xxxx: Saxony and neighbours) and a Germany-wide tail, with skills, interests,
windows and languages drawn from the real taxonomies — by bulk inserts into the
configured database (DATABASE_URL, or SQLite in BOERSE_VAR_DIR), after running the
migrations. Then, in one run, it measures through the real service functions:
recommendations for 1,000 random residents and candidates for 200 random offers (p50/p95),
and a naive baseline on a sample (load every offer and score every pair in Python with
geopy's great-circle distance), checking that both give the same top 10.

The database must be empty or hold an earlier benchmark data set (which is replaced,
or reused with --reuse); anything else is refused. The last line printed is one JSON
object with the figures."""

from __future__ import annotations

import argparse
import asyncio
import csv
import datetime as dt
import json
import math
import os
import random
import statistics
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

os.environ.setdefault("PICCOLO_CONF", "boerse.piccolo_conf")

MARKER = "Benchmark-Organisation"
CITY_CENTRE = (51.3396, 12.3713)
CITY_RADIUS_KM = 7.0
TOWN_RADIUS_KM = 3.0
FIRST_NAMES = ("Anna", "Ben", "Clara", "Deniz", "Emil", "Fatma", "Greta", "Hannes", "Ida", "Jonas")
LAST_NAMES = ("Weber", "Schulz", "Yilmaz", "Krause", "Nowak", "Hoffmann", "Petrenko", "Richter")
LANGUAGE_SETS = (
    ((), 60),
    (("de",), 20),
    (("de", "en"), 12),
    (("de", "tr"), 3),
    (("ar", "de"), 2),
    (("ru", "uk"), 2),
    (("en",), 1),
)
OFFER_LANGUAGE_SETS = (((), 80), (("de",), 10), (("de", "en"), 6), (("ar", "de"), 2), (("uk",), 2))


# --- the data set ------------------------------------------------------------------------------


def load_places() -> dict[str, list[tuple[float, float]]]:
    """Postcode points of the city, the region and the tail, from the shipped gazetteer."""
    from boerse.lib.geo import GAZETTEER

    places: dict[str, list[tuple[float, float]]] = {"city": [], "region": [], "tail": []}
    with GAZETTEER.open(newline="") as handle:
        for row in csv.DictReader(handle):
            point = (float(row["latitude"]), float(row["longitude"]))
            code = row["postcode"]
            if code.startswith("04") and row["locality"] == "Leipzig":
                places["city"].append(point)
            elif code.startswith("0"):
                places["region"].append(point)
            else:
                places["tail"].append(point)
    return places


def jitter(rng: random.Random, point: tuple[float, float], radius_km: float) -> tuple[float, float]:
    """A home or venue spread uniformly over a disc around a postcode's point (a synthetic
    town of 100,000 needs more distinct places than its postcodes have), kept coarse like
    the product keeps it (two decimals)."""
    distance = radius_km * math.sqrt(rng.random())
    angle = rng.random() * 2 * math.pi
    lat = point[0] + distance * math.cos(angle) / 111.2
    lon = point[1] + distance * math.sin(angle) / (111.2 * math.cos(math.radians(point[0])))
    return round(lat, 2), round(lon, 2)


def weighted(rng: random.Random, options: Sequence[tuple[Any, int]]) -> Any:
    return rng.choices([o for o, _ in options], [w for _, w in options])[0]


def place_of(rng: random.Random, places: dict, shares: Sequence[tuple[str, int]]) -> tuple:
    area = weighted(rng, shares)
    if area == "city":
        return area, jitter(rng, CITY_CENTRE, CITY_RADIUS_KM)
    return area, jitter(rng, rng.choice(places[area]), TOWN_RADIUS_KM)


RADII = {
    "city": ((2, 10), (3, 10), (5, 25), (10, 30), (15, 10), (25, 10), (50, 5)),
    "region": ((5, 10), (10, 20), (15, 15), (20, 15), (30, 15), (50, 15), (75, 5), (100, 5)),
    "tail": ((5, 15), (10, 25), (20, 20), (30, 15), (50, 15), (100, 10)),
}


class DataSet:
    """Plans every row in memory with one seeded generator, then writes table by table."""

    def __init__(self, residents: int, opportunities: int, seed: int) -> None:
        from boerse.matching.index import FIELDS, SKILLS, WINDOWS

        self.rng = random.Random(seed)
        self.residents = residents
        self.opportunities = opportunities
        self.places = load_places()
        self.fields, self.skills, self.windows = FIELDS, SKILLS, WINDOWS
        self.now = dt.datetime.now(tz=dt.UTC).replace(microsecond=0)

    async def write(self) -> None:
        from boerse.profiles.tables import FieldOfAction, Skill

        self.field_ids = {r["slug"]: r["id"] for r in await FieldOfAction.select()}
        self.skill_ids = {r["slug"]: r["id"] for r in await Skill.select()}
        await self.write_organisations()
        await self.write_residents()
        await self.write_opportunities()

    async def write_organisations(self) -> None:
        from boerse.accounts.tables import Organisation

        rows = [Organisation(name=f"{MARKER} {n}") for n in range(50)]
        await bulk(Organisation, rows)
        self.organisation_ids = [r["id"] for r in await Organisation.select(Organisation.id)]

    async def write_residents(self) -> None:
        from boerse.accounts.tables import User
        from boerse.profiles.tables import Profile, ProfileInterest, ProfileSkill

        rng = self.rng
        users = [
            User(
                email=f"bench{n}@example.org",
                password_hash="-",
                display_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                calendar_token=f"bench-{n}",
            )
            for n in range(self.residents)
        ]
        await bulk(User, users)
        user_ids = [r["id"] for r in await User.select(User.id).order_by(User.id)]
        profiles, plans = [], []
        for user_id in user_ids:
            area, (lat, lon) = place_of(
                rng, self.places, (("city", 55), ("region", 30), ("tail", 15))
            )
            profiles.append(
                Profile(
                    user=user_id,
                    latitude=lat,
                    longitude=lon,
                    travel_radius_km=weighted(rng, RADII[area]),
                    hours_per_month=rng.choice((0, 2, 4, 4, 8, 8, 12, 20)),
                    time_windows=rng.sample(self.windows, rng.randint(0, 9)),
                    languages=list(weighted(rng, LANGUAGE_SETS)),
                    birth_year=None if rng.random() < 0.3 else rng.randint(1940, 2012),
                    contact_ok=rng.random() < 0.35,
                )
            )
            plans.append(
                (
                    rng.sample(self.fields, rng.randint(0, 4)),
                    rng.sample(self.skills, rng.randint(0, 6)),
                )
            )
        await bulk(Profile, profiles)
        profile_ids = [r["id"] for r in await Profile.select(Profile.id).order_by(Profile.id)]
        interests, skills = [], []
        for profile_id, (fields, own_skills) in zip(profile_ids, plans, strict=True):
            interests += [
                ProfileInterest(profile=profile_id, field=self.field_ids[f]) for f in fields
            ]
            skills += [
                ProfileSkill(profile=profile_id, skill=self.skill_ids[s]) for s in own_skills
            ]
        await bulk(ProfileInterest, interests)
        await bulk(ProfileSkill, skills)

    async def write_opportunities(self) -> None:
        from boerse.opportunities.tables import (
            Mode,
            Opportunity,
            OpportunitySession,
            OpportunitySkill,
            OpportunityStatus,
        )

        rng = self.rng
        rows, plans = [], []
        modes = [mode.value for mode in Mode]
        for n in range(self.opportunities):
            online = rng.random() < 0.08
            _area, (lat, lon) = place_of(
                rng, self.places, (("city", 55), ("region", 35), ("tail", 10))
            )
            rows.append(
                Opportunity(
                    organisation=rng.choice(self.organisation_ids),
                    title=f"Mitmachen {n}",
                    mode=rng.choice(modes),
                    field=self.field_ids[rng.choice(self.fields)],
                    is_online=online,
                    latitude=None if online else lat,
                    longitude=None if online else lon,
                    languages=list(weighted(rng, OFFER_LANGUAGE_SETS)),
                    min_age=None if rng.random() < 0.8 else rng.choice((14, 16, 18)),
                    reach_km=None if rng.random() < 0.8 else rng.choice((5, 10, 20)),
                    status=OpportunityStatus.PUBLISHED.value,
                    published_at=self.now,
                )
            )
            asked = rng.sample(self.skills, rng.randint(0, 4))
            cut = rng.randint(0, len(asked))
            plans.append((asked[:cut], asked[cut:]))
        await bulk(Opportunity, rows)
        ids = [r["id"] for r in await Opportunity.select(Opportunity.id).order_by(Opportunity.id)]
        skills, sessions = [], []
        for opportunity_id, (required, desired) in zip(ids, plans, strict=True):
            skills += [
                OpportunitySkill(opportunity=opportunity_id, skill=self.skill_ids[s], required=True)
                for s in required
            ]
            skills += [
                OpportunitySkill(
                    opportunity=opportunity_id, skill=self.skill_ids[s], required=False
                )
                for s in desired
            ]
            sessions += self.sessions_of(opportunity_id, OpportunitySession)
        await bulk(OpportunitySkill, skills)
        await bulk(OpportunitySession, sessions)

    def sessions_of(self, opportunity_id: int, table: Any) -> list[Any]:
        """1–4 weekly dates at one local time within the next two months; some are full."""
        rng = self.rng
        first = self.now.replace(minute=0, second=0) + dt.timedelta(
            days=rng.randint(1, 50), hours=rng.randint(0, 23)
        )
        first = first.replace(hour=rng.choice((7, 9, 10, 14, 16, 17, 18, 19)))
        duration = dt.timedelta(hours=rng.choice((1, 2, 2, 3, 4)))
        sessions = []
        for week in range(rng.randint(1, 4)):
            capacity = rng.randint(5, 30)
            taken = capacity if rng.random() < 0.15 else rng.randint(0, capacity - 1)
            starts = first + dt.timedelta(weeks=week)
            sessions.append(
                table(
                    opportunity=opportunity_id,
                    starts_at=starts,
                    ends_at=starts + duration,
                    capacity=capacity,
                    seats_taken=taken,
                )
            )
        return sessions


async def bulk(table: Any, rows: Sequence[Any], size: int = 1000) -> None:
    """Multi-row INSERTs in one transaction, batches below both engines' parameter limits."""
    from boerse.lib.db import write_transaction

    columns = len(table._meta.columns)
    size = max(1, min(size, 30000 // columns))
    async with write_transaction():
        for start in range(0, len(rows), size):
            await table.insert(*rows[start : start + size])


async def prepare(args: argparse.Namespace) -> tuple[float, float, bool]:
    """Migrate, then build (or reuse) the data set and the index; returns seconds taken."""
    from boerse.accounts.tables import Organisation, User
    from boerse.lib.db import is_sqlite
    from boerse.matching.index import rebuild_index
    from boerse.matching.index_tables import OpportunityMatch, ResidentMatch
    from boerse.piccolo_conf import DB

    users = await User.count()
    ours = await Organisation.count().where(Organisation.name.like(f"{MARKER}%"))
    others = await Organisation.count() - ours
    if others or (users and not ours):
        raise SystemExit("This database holds data that is not a benchmark data set: refused.")
    if (
        args.reuse
        and users == args.residents
        and await OpportunityMatch.count() > 0
        and await ResidentMatch.count() == args.residents
    ):
        await DB.run_ddl("ANALYZE" if is_sqlite() else "VACUUM ANALYZE")
        return 0.0, 0.0, True
    if users:
        await wipe()
    started = time.perf_counter()
    await DataSet(args.residents, args.opportunities, args.seed).write()
    built = time.perf_counter() - started
    started = time.perf_counter()
    await rebuild_index()
    await DB.run_ddl("ANALYZE" if is_sqlite() else "VACUUM ANALYZE")
    return built, time.perf_counter() - started, False


async def wipe() -> None:
    from piccolo.conf.apps import Finder
    from piccolo.table import sort_table_classes

    from boerse.lib.db import is_sqlite
    from boerse.piccolo_conf import DB

    tables = reversed(sort_table_classes(Finder().get_table_classes()))
    names = [
        t._meta.tablename for t in tables if t._meta.tablename not in {"field_of_action", "skill"}
    ]
    if is_sqlite():
        for name in names:
            await DB.run_ddl(f'DELETE FROM "{name}"')
    else:
        await DB.run_ddl("TRUNCATE " + ", ".join(f'"{n}"' for n in names) + " CASCADE")


# --- measuring ---------------------------------------------------------------------------------


async def timed(call: Callable[[], Awaitable[Any]]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = await call()
    return (time.perf_counter() - started) * 1000, result


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


async def naive_candidates(opportunity_id: int, residents: list, limit: int) -> list[int]:
    """The baseline the other way: one offer against every resident (loaded once)."""
    from boerse.lib import geo
    from boerse.lib.db import utcnow
    from boerse.matching import index
    from boerse.matching.scoring import Weights, score

    now = utcnow()
    weights = Weights.from_settings()
    ((row, offer_skills, sessions),) = await index.opportunity_sources([opportunity_id])
    facts = index.opportunity_facts(row, row["field_slug"], offer_skills, sessions, now)
    place = None if facts.is_online else (facts.latitude, facts.longitude)
    scored = []
    for profile, skills, interests in residents:
        if not profile["contact_ok"] or profile["latitude"] is None:
            continue
        resident = index.resident_facts(profile, skills, interests, now.year)
        distance = None
        if place is not None:
            distance = geo.distance_km((resident.latitude, resident.longitude), place)
        match = score(resident, facts, weights, distance)
        if match is not None:
            scored.append((-match.score, profile["user"]))
    scored.sort()
    return [item[1] for item in scored[:limit]]


async def measure(args: argparse.Namespace) -> dict[str, Any]:
    from boerse.lib.db import is_sqlite
    from boerse.matching import index
    from boerse.matching.index_tables import OpportunityMatch, ResidentMatch
    from boerse.matching.reference import naive_recommendations
    from boerse.matching.services import candidates_for, recommendations_for

    rng = random.Random(args.seed + 1)
    user_ids = [r["user"] for r in await ResidentMatch.select(ResidentMatch.user)]
    offer_ids = [
        r["opportunity"] for r in await OpportunityMatch.select(OpportunityMatch.opportunity)
    ]
    residents = rng.sample(user_ids, min(args.recommend, len(user_ids)))
    offers = rng.sample(offer_ids, min(args.candidates, len(offer_ids)))
    for user_id in residents[:20]:  # warm up: imports, connections, caches
        await recommendations_for(user_id)

    recommend_ms, shown = [], []
    for user_id in residents:
        ms, result = await timed(lambda user_id=user_id: recommendations_for(user_id))
        recommend_ms.append(ms)
        shown.append(len(result))
    by_resident = dict(zip(residents, recommend_ms, strict=True))
    candidates_ms, found = [], []
    for offer_id in offers:
        ms, result = await timed(lambda offer_id=offer_id: candidates_for(offer_id))
        candidates_ms.append(ms)
        found.append(len(result))

    # The speed-up compares the same residents: the naive time against the time the index
    # path took for them in the run above (a full page of 20, so if anything it is unfair
    # to the index). Timing both back to back would charge the index path with the
    # garbage collection of the baseline's hundred thousand temporary objects.
    sample = residents[: args.baseline]
    naive_ms, agree = [], 0
    for user_id in sample:
        ms, expected = await timed(lambda user_id=user_id: naive_recommendations(user_id, 10))
        naive_ms.append(ms)
        got = await recommendations_for(user_id, limit=10)
        agree += [r.opportunity["id"] for r in got] == expected
    fast_ms = [by_resident[user_id] for user_id in sample]
    everyone = await index.profile_sources()
    candidate_agree = 0
    candidate_sample = offers[: args.baseline // 4 or 1]
    for offer_id in candidate_sample:
        expected = await naive_candidates(offer_id, everyone, 10)
        got = [c.user_id for c in await candidates_for(offer_id, limit=10)]
        candidate_agree += got == expected

    return {
        "backend": "sqlite" if is_sqlite() else "postgresql",
        "recommend_ms": recommend_ms,
        "candidates_ms": candidates_ms,
        "shown": shown,
        "found": found,
        "naive_ms": naive_ms,
        "fast_ms": fast_ms,
        "agreement": agree / len(sample) if sample else 1.0,
        "candidate_agreement": candidate_agree / len(candidate_sample),
        "candidate_sample": len(candidate_sample),
    }


def report(args: argparse.Namespace, build: float, index_seconds: float, m: dict) -> dict:
    speedup = statistics.mean(m["naive_ms"]) / statistics.mean(m["fast_ms"])
    lines = [
        f"Matching benchmark on {m['backend']}: {args.residents:,} residents, "
        f"{args.opportunities:,} opportunities (seed {args.seed})",
        f"  data set built in {build:,.1f} s, index rebuilt in {index_seconds:,.1f} s",
        "",
        f"  {'measure':<44}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}",
    ]
    for label, values in (
        (f"recommendations, {len(m['recommend_ms'])} residents", m["recommend_ms"]),
        (f"candidates, {len(m['candidates_ms'])} opportunities", m["candidates_ms"]),
        (f"naive baseline, {len(m['naive_ms'])} residents", m["naive_ms"]),
    ):
        lines.append(
            f"  {label:<44}{percentile(values, 0.5):>10.2f}{percentile(values, 0.95):>10.2f}"
            f"{max(values):>10.2f}"
        )
    lines += [
        "",
        f"  recommendations shown per resident (mean): {statistics.mean(m['shown']):.1f}",
        f"  candidates found per opportunity (mean):   {statistics.mean(m['found']):.1f}",
        f"  baseline speed-up (mean naive / mean index, same residents): {speedup:,.0f}×",
        f"  top-10 agreement, recommendations: {m['agreement']:.3f}",
        f"  top-10 agreement, candidates ({m['candidate_sample']} offers): "
        f"{m['candidate_agreement']:.3f}",
    ]
    print("\n".join(lines), flush=True)
    return {
        "backend": m["backend"],
        "residents": args.residents,
        "opportunities": args.opportunities,
        "recommend_p50_ms": round(percentile(m["recommend_ms"], 0.5), 2),
        "recommend_p95_ms": round(percentile(m["recommend_ms"], 0.95), 2),
        "candidates_p50_ms": round(percentile(m["candidates_ms"], 0.5), 2),
        "candidates_p95_ms": round(percentile(m["candidates_ms"], 0.95), 2),
        "baseline_speedup": round(speedup, 1),
        "top10_agreement": round(m["agreement"], 3),
        "build_seconds": round(build + index_seconds, 1),
    }


async def main_async(args: argparse.Namespace) -> dict:
    from boerse.lib.db import close_database, open_database
    from boerse.lib.migrate import migrate
    from boerse.profiles.taxonomy import refresh

    await migrate()
    await open_database()
    try:
        # Matching reads the taxonomy's bits from the process's last reading; read once here
        # (the web app checks the shared version in Redis instead, which a benchmark lacks).
        await refresh()
        build, index_seconds, reused = await prepare(args)
        if reused:
            print("Reusing the existing benchmark data set.", flush=True)
        figures = await measure(args)
    finally:
        await close_database()
    return report(args, build, index_seconds, figures)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.matching", description=__doc__)
    parser.add_argument("--residents", type=int, default=100_000)
    parser.add_argument("--opportunities", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--recommend", type=int, default=1000, help="residents to measure")
    parser.add_argument("--candidates", type=int, default=200, help="opportunities to measure")
    parser.add_argument("--baseline", type=int, default=20, help="residents in the naive sample")
    parser.add_argument("--reuse", action="store_true", help="keep a data set of the same size")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    figures = asyncio.run(main_async(args))
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
