"""Pages under load: `python -m benchmarks.pages [--scale S] [--clients C] [--seconds T]`.

Builds, in the configured database (DATABASE_URL, created if missing, or SQLite in
BOERSE_VAR_DIR), the town of issue 11: 50 organisations, 1,000 published offers with five
dates each (four weekly ones within the next five weeks and one 3–20 days before them, so
about half of those are past), 2,000 residents and 10,000 sign-ups (two per
date), a feedback questionnaire per offer with about 50 answers each and one offer with
2,000 extra responses (for the officer's results page); `--scale` multiplies offers, dates,
residents, sign-ups and answers. The builders are the matching and dashboards benchmarks'.
Then it starts the app (`boerse serve --workers 2`) on the same database, waits until it
answers, and loads each page with `--clients` concurrent keep-alive clients (httpx, one
Python process, so the load generator shares the two cores with the app) for `--seconds`.
The SQL statements per page are counted once in-process (Piccolo's query counter, as the
tests' `count_queries` does).

The load comes from wrk where it is installed (`--load-generator auto`, the default; C, so the
app keeps most of the two cores) and otherwise from the Python generator (`httpx`).

The API, the calendar and Atom feeds and the widget are measured like the anonymous pages
(the app's per-client API limit is raised for the run, its counting still done).

With `--with-scale-ratio` (default; `--no-scale-ratio` skips it) the list, start and results
pages are measured once more on a data set ten times as large, built in a second database (the
name plus `_x10`, or BOERSE_VAR_DIR/x10): `scale_ratios` holds each page's p50 there divided
by this run's, `scale_ratio` the list's.
With `--compare REV` the revision is checked out into a git worktree under /tmp and its app
(same venv) is started on the same database; only anonymous GET pages are loaded there
(public list and anonymous start page), so the old code reads the newer schema and writes
nothing, and the rps ratio new/old is printed.

The database must be empty or hold an earlier benchmark data set (replaced, or kept with
--reuse). The last line printed is one JSON object."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import functools
import json
import logging
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("PICCOLO_CONF", "boerse.piccolo_conf")

from benchmarks import dashboards, matching, surveys

RESIDENTS = 2_000
OFFERS = 1_000
DATES_PER_OFFER = 5
SIGN_UPS_PER_DATE = 2
ANSWERS_PER_OFFER = 50
LARGE_RESPONSES = 2_000
OFFICER_EMAIL = "officer@pages.bench.example"
PAGES = ("login", "list", "filtered_list", "detail", "start_anonymous", "start_logged_in",
         "recommendations", "my_dates", "officer_results", "public_overview", "public_results",
         "api_list", "api_detail", "calendar_feed", "atom_feed", "widget")  # fmt: skip
COMPARED = ("list", "start_anonymous")
# The pages whose cost must not follow the size of the town, measured again at ten times.
SCALED = ("list", "start_anonymous", "start_logged_in", "officer_results", "public_overview",
          "public_results")  # fmt: skip
ROOT = Path(__file__).resolve().parent.parent


class Town(dashboards.History):
    """The dashboards benchmark's history writer (questionnaires, goals, responses) on the
    matching benchmark's residents and offers, with this issue's dates and sign-ups."""

    def __init__(self, scale: float, seed: int) -> None:
        matching.DataSet.__init__(
            self, round(RESIDENTS * scale) or 1, round(OFFERS * scale) or 1, seed
        )
        self.answers_target = round(ANSWERS_PER_OFFER * OFFERS * scale)
        self.answers_written = 0
        self.large_responses = max(10, round(LARGE_RESPONSES * min(1.0, scale)))

    async def write_sessions(self) -> None:
        """Four weekly dates ahead and one 3–20 days before them (past for about half of the
        offers: attended places, invitations, surveys)."""
        rng = self.rng
        first = await surveys.next_id("opportunity_session")
        self.sessions: list[tuple[int, int, dt.datetime, dt.datetime]] = []
        rows = []
        for index, row in enumerate(self.opportunities_rows):
            ahead = self.now.replace(minute=0, second=0) + dt.timedelta(
                days=rng.randint(1, 30), hours=rng.randint(0, 12)
            )
            duration = dt.timedelta(hours=rng.choice((1, 2, 2, 3)))
            starts = [ahead - dt.timedelta(days=rng.randint(3, 20))]
            starts += [ahead + dt.timedelta(weeks=w) for w in range(DATES_PER_OFFER - 1)]
            capacity = rng.randint(5, 30)
            for n, start in enumerate(starts):
                session_id = first + index * DATES_PER_OFFER + n
                self.sessions.append((session_id, row["id"], start, start + duration))
                rows.append((session_id, row["id"], start, start + duration, capacity, 0, ""))
        await surveys.insert_rows(
            "opportunity_session",
            ("id", "opportunity", "starts_at", "ends_at", "capacity", "seats_taken",
             "location_note"),
            rows,
        )  # fmt: skip

    @functools.cached_property
    def me_and_others(self) -> tuple[int, list[int]]:
        """The resident of "Meine Termine" and everyone else (computed once: a scaled town
        has 50,000 dates)."""
        me = min(self.user_ids)
        return me, [u for u in self.user_ids if u != me] or [me]

    def people_of(self, number: int) -> list[int]:
        """Two people per date; the first resident on the first twelve dates, for
        "Meine Termine"."""
        me, others = self.me_and_others
        people = self.rng.sample(others, min(len(others), SIGN_UPS_PER_DATE))
        if number < 12 and me not in people:
            people[0] = me
        return people

    def outcome(self, ends: dt.datetime) -> tuple[str, str | None, float | None, dt.datetime]:
        """A few cancelled, past ones mostly attended for two hours."""
        rng = self.rng
        status = "cancelled" if rng.random() < 0.05 else "confirmed"
        over = ends < self.now
        attendance = ("attended" if rng.random() < 0.85 else "absent") if over else None
        hours = 2.0 if attendance == "attended" else None
        return status, attendance, hours, self.now

    async def write_sign_ups(self) -> None:
        """The sign-ups and invitations as in the dashboards' history, then the dates'
        taken seats."""
        from piccolo.table import Table

        await super().write_sign_ups()
        await Table.raw(
            "UPDATE opportunity_session SET seats_taken = (SELECT COUNT(*) FROM sign_up WHERE "
            "sign_up.session = opportunity_session.id AND sign_up.status = 'confirmed')"
        )

    async def write_responses(self) -> None:
        """The dashboards' spread of answers, then many responses for the first offer."""
        await super().write_responses()
        opportunity_id = self.opportunities_rows[0]["id"]
        day = self.now.replace(hour=0, minute=0, second=0, microsecond=0)
        responses, answers = [], []
        for _ in range(self.large_responses):
            responses.append((self.next_response, self.first, self.version, opportunity_id, 1,
                              True, day))  # fmt: skip
            answers += self.answers_of(0, self.next_response)
            self.next_response += 1
        await self.flush(responses, answers)


# --- the data set in the database ---------------------------------------------------------------


async def prepare(args: argparse.Namespace) -> dict[str, Any]:
    """Migrate, refuse foreign data, build (or reuse), index, roll up; returns the figures."""
    from boerse.accounts.tables import Organisation, User
    from boerse.lib.db import is_sqlite
    from boerse.piccolo_conf import DB
    from boerse.questionnaires.tables import Response

    ours = await Organisation.count().where(Organisation.name.like(f"{matching.MARKER}%"))
    if await Organisation.count() - ours or (await User.count() and not ours):
        raise SystemExit("This database holds data that is not a benchmark data set: refused.")
    started = time.perf_counter()
    if not (ours and args.reuse and await Response.count()):
        if ours:
            await matching.wipe()
        await Town(args.scale, args.seed).write()
        await derived()
    await worker_minute()
    await DB.run_ddl("ANALYZE" if is_sqlite() else "VACUUM ANALYZE")
    figures = await dashboards.counts(time.perf_counter() - started)
    return figures


async def worker_minute() -> None:
    """What the worker's minute job does in a running town, which this benchmark runs
    without a worker: move the kept next date of offers whose date has begun. Without it a
    reused data set (`--reuse`) has one stale kept date more for every date that began since
    it was built, and the older, larger one more of them."""
    try:
        from boerse.opportunities.next_dates import advance_passed_next_starts
    except ImportError:
        return
    await advance_passed_next_starts()


async def derived() -> None:
    """What the services keep beside the rows: the matching index, the questionnaire tallies
    and the dashboards' rollups (each only where this revision has it)."""
    from boerse.lib.db import write_transaction
    from boerse.matching.index import rebuild_index

    await rebuild_index()
    try:  # SQLite's full-text table is written by the services, not by the bulk inserts
        from boerse.opportunities.fulltext import reindex_all
    except ImportError:
        pass
    else:
        await reindex_all()
    try:
        from boerse.opportunities.next_dates import refresh_next_starts
    except ImportError:
        pass
    else:
        await refresh_next_starts()
    try:
        from boerse.questionnaires.tally import rebuild_tallies
    except ImportError:
        pass
    else:
        async with write_transaction():
            await rebuild_tallies()
    try:
        from boerse.dashboards.rollup import refresh_rollups
    except ImportError:
        pass
    else:
        await refresh_rollups(full=True)


async def targets() -> dict[str, Any]:
    """The pages' URLs and two fresh session tokens (the first resident, an officer of the
    organisation of the offer with the most responses, created on first use)."""
    from boerse.accounts.sessions import start_session
    from boerse.accounts.tables import Role, User
    from boerse.lib.db import utcnow
    from boerse.opportunities.tables import Opportunity
    from boerse.profiles.tables import FieldOfAction
    from boerse.questionnaires.tables import Response

    offer = (
        await Opportunity.select(
            Opportunity.id,
            Opportunity.organisation,
            Opportunity.mode,
            Opportunity.field,
            Opportunity.title,
        )
        .order_by(Opportunity.id)
        .first()
    )
    field = (
        await FieldOfAction.select(FieldOfAction.slug)
        .where(FieldOfAction.id == offer["field"])
        .first()
    )
    # The results pages show the offer with the most responses (the 2,000 extra ones), at
    # every scale the same kind of page; its officer reads them.
    busiest = await Response.raw(
        "SELECT opportunity FROM response WHERE opportunity IS NOT NULL"
        " GROUP BY opportunity ORDER BY COUNT(*) DESC, opportunity LIMIT 1"
    )
    results_id = busiest[0]["opportunity"] if busiest else offer["id"]
    results_organisation = (
        await Opportunity.select(Opportunity.organisation)
        .where(Opportunity.id == results_id)
        .first()
    )["organisation"]
    officer = await User.select(User.id).where(User.email == OFFICER_EMAIL).first()
    if officer is None:
        row = User(
            email=OFFICER_EMAIL,
            password_hash="-",
            display_name="Benchmark",
            role=Role.OFFICER.value,
            organisation=results_organisation,
            email_verified_at=utcnow(),
            calendar_token=secrets.token_urlsafe(24),
        )
        await row.save()
        officer = {"id": row.id}
    else:
        await User.update({User.organisation: results_organisation}).where(User.id == officer["id"])
    resident = (
        await User.select(User.id).where(User.role == Role.RESIDENT.value).order_by(User.id).first()
    )
    offer_id = offer["id"]
    text = offer["title"].split()[0]
    return {
        "resident": await start_session(resident["id"]),
        "officer": await start_session(officer["id"]),
        "urls": {
            "login": "/konto/anmelden",
            "list": "/angebote",
            "filtered_list": f"/angebote?mode={offer['mode']}&field={field['slug']}&q={text}",
            "detail": f"/angebote/{offer_id}",
            "start_anonymous": "/",
            "start_logged_in": "/",
            "recommendations": "/empfehlungen",
            "my_dates": "/meine-termine",
            "officer_results": f"/verwaltung/angebote/{results_id}/ergebnisse",
            "public_overview": "/ergebnisse/",
            "public_results": f"/ergebnisse/{results_id}",
            # What machines and other websites read (issue 13), anonymous like the list.
            "api_list": "/api/v1/opportunities",
            "api_detail": f"/api/v1/opportunities/{offer_id}",
            "calendar_feed": "/angebote/kalender.ics",
            "atom_feed": "/angebote/feed.atom",
            "widget": "/einbetten/angebote",
        },
    }


def cookie_of(page: str, tokens: dict[str, Any]) -> dict[str, str]:
    from boerse.accounts.auth import SESSION_COOKIE

    if page in {"start_logged_in", "recommendations", "my_dates"}:
        return {SESSION_COOKIE: tokens["resident"]}
    if page == "officer_results":
        return {SESSION_COOKIE: tokens["officer"]}
    return {}


async def count_queries(tokens: dict[str, Any], pages: tuple[str, ...]) -> dict[str, int]:
    """Each page once in-process after a warm-up, its statements read off the engine."""
    import httpx

    from boerse.app import create_app
    from boerse.lib.db import query_count

    app = create_app()
    logging.getLogger("httpx").setLevel(logging.WARNING)  # create_app set up INFO logging
    counted = {}
    for page in pages:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://testserver", cookies=cookie_of(page, tokens)
        ) as http:
            url = tokens["urls"][page]
            first = await http.get(url)
            if first.status_code != 200:
                raise SystemExit(f"{page} ({url}) answered {first.status_code} in-process.")
            before = query_count()
            await http.get(url)
            counted[page] = query_count() - before
    return counted


async def build(args: argparse.Namespace, pages: tuple[str, ...]) -> dict[str, Any]:
    from boerse.lib.db import close_database, open_database
    from boerse.lib.migrate import migrate

    await migrate()
    await open_database()
    try:
        figures = await prepare(args)
        tokens = await targets()
        tokens["queries"] = await count_queries(tokens, pages)
    finally:
        await close_database()
    return {"figures": figures, **tokens}


# --- the app and the load ----------------------------------------------------------------------


def start_app(port: int, workers: int, root: Path = ROOT) -> subprocess.Popen:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(root)
    # All load comes from one address: the API's per-client limit (still counted in Redis on
    # every request) must not turn the measurement into one of 429 answers.
    env.setdefault("API_REQUESTS_PER_MINUTE", "100000000")
    server = subprocess.Popen(
        [sys.executable, "-m", "boerse.cli", "serve", "--port", str(port), "--workers",
         str(workers)],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    import httpx

    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"The app in {root} did not start (boerse serve exited).")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/konto/anmelden", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    stop_app(server)
    raise SystemExit("The app did not answer within 60 s.")


def stop_app(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


async def load(base: str, url: str, cookies: dict, clients: int, seconds: float) -> dict:
    """`clients` keep-alive connections requesting `url` back to back for `seconds`."""
    import httpx

    latencies: list[float] = []
    failures = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, cookies=cookies, limits=limits, timeout=60) as http:
        for _ in range(min(clients, 8)):  # warm up every worker's imports and caches
            await http.get(url)
        stop = time.perf_counter() + seconds

        async def client() -> None:
            nonlocal failures
            while time.perf_counter() < stop:
                started = time.perf_counter()
                response = await http.get(url)
                if response.status_code == 200:
                    latencies.append((time.perf_counter() - started) * 1000)
                else:
                    failures += 1

        started = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(clients)))
        elapsed = time.perf_counter() - started
    if not latencies:
        raise SystemExit(f"{url} never answered 200 under load.")
    return {
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(surveys.percentile(latencies, 0.5), 1),
        "p99_ms": round(surveys.percentile(latencies, 0.99), 1),
        "requests": len(latencies),
        "failures": failures,
    }


_WRK_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def load_with_wrk(base: str, url: str, cookies: dict, clients: int, seconds: float) -> dict:
    """The same load from wrk (C, two threads): it leaves the app most of the two cores,
    where the Python load generator takes a good part of one. Asks for gzip as browsers do."""
    import httpx

    for _ in range(min(clients, 8)):  # warm up every worker's imports and caches
        httpx.get(base + url, cookies=cookies, timeout=60)
    command = ["wrk", f"-t{min(2, clients)}", f"-c{clients}", f"-d{max(1, round(seconds))}s", "--latency",
               "--timeout", "60s", "-H", "Accept-Encoding: gzip"]  # fmt: skip
    if cookies:
        command += ["-H", "Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items())]
    output = subprocess.run(
        [*command, base + url], capture_output=True, text=True, check=True
    ).stdout
    return parse_wrk(output)


def parse_wrk(output: str) -> dict:
    """Requests per second of successful (2xx) answers and the latency percentiles."""
    import re

    def latency(percent: str) -> float:
        value, unit = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M).groups()
        return round(float(value) * _WRK_UNITS[unit], 1)

    requests, elapsed = re.search(r"(\d+) requests in ([\d.]+)(ms|s|m)", output).groups()[:2]
    unit = re.search(r"\d+ requests in [\d.]+(ms|s|m)", output).group(1)
    seconds = float(elapsed) * _WRK_UNITS[unit] / 1000
    failures = (
        int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", output)) else 0
    )
    return {
        "rps": round((int(requests) - failures) / seconds, 1),
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
        "requests": int(requests),
        "failures": failures,
    }


def generator_of(args: argparse.Namespace) -> str:
    if args.load_generator == "auto":
        return "wrk" if shutil.which("wrk") else "httpx"
    return args.load_generator


def measure(args: argparse.Namespace, built: dict, pages: tuple[str, ...], root: Path = ROOT):
    port = surveys.free_port()
    server = start_app(port, args.workers, root)
    base = f"http://127.0.0.1:{port}"
    try:
        measured = {}
        for page in pages:
            target = (base, built["urls"][page], cookie_of(page, built), args.clients,
                      args.seconds)  # fmt: skip
            if generator_of(args) == "wrk":
                measured[page] = load_with_wrk(*target)
            else:
                measured[page] = asyncio.run(load(*target))
        return measured
    finally:
        stop_app(server)


# --- the larger town and the older revision ----------------------------------------------------


def scaled_env() -> dict[str, str]:
    """The environment of the ten-times run: a second database beside the first."""
    env = dict(os.environ)
    url = env.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        base, _, name = url.rpartition("/")
        env["DATABASE_URL"] = f"{base}/{name.split('?')[0]}_x10"
    else:
        from boerse.settings import get_settings

        env["BOERSE_VAR_DIR"] = str(get_settings().var_dir / "x10")
    return env


def scaled_run(args: argparse.Namespace, pages: tuple[str, ...]) -> dict:
    command = [sys.executable, "-m", "benchmarks.pages", "--scale", str(args.scale * 10),
               "--pages", ",".join(pages), "--no-scale-ratio", "--clients", str(args.clients),
               "--seconds", str(args.seconds), "--workers", str(args.workers),
               "--seed", str(args.seed), "--load-generator", args.load_generator]  # fmt: skip
    if args.reuse:
        command.append("--reuse")
    result = subprocess.run(
        command, env=scaled_env(), cwd=ROOT, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(
            "The ten-times run failed:\n" + result.stdout[-2000:] + result.stderr[-2000:]
        )
    print("\n".join("  | " + line for line in result.stdout.strip().splitlines()[:-1]))
    return json.loads(result.stdout.strip().splitlines()[-1])


def compare(args: argparse.Namespace, built: dict, ours: dict) -> dict:
    """The same load on a worktree of `args.compare`, started on this database."""
    worktree = Path(tempfile.mkdtemp(prefix="boerse-compare-"))
    subprocess.run(["git", "worktree", "add", "--detach", str(worktree), args.compare],
                   cwd=ROOT, check=True, capture_output=True)  # fmt: skip
    try:
        theirs = measure(args, built, COMPARED, worktree)
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(worktree)], cwd=ROOT,
                       check=False, capture_output=True)  # fmt: skip
    return {
        "revision": args.compare,
        **{f"{page}_rps": theirs[page]["rps"] for page in COMPARED},
        **{
            f"{page}_rps_ratio": round(ours[page]["rps"] / theirs[page]["rps"], 2)
            for page in COMPARED
            if page in ours
        },
    }


# --- the report --------------------------------------------------------------------------------


def report(backend: str, args: argparse.Namespace, built: dict, measured: dict) -> dict:
    figures = built["figures"]
    print(
        f"Pages on {backend}, {args.workers} workers, {args.clients} clients ({generator_of(args)}), "
        f"{args.seconds:g} s each: {figures['opportunities']:,} offers, {figures['sessions']:,} dates, "
        f"{figures['residents']:,} accounts, {figures['sign_ups']:,} sign-ups, "
        f"{figures['answers']:,} answers (built in {figures['build_seconds']:.1f} s)\n\n"
        f"  {'page':<18}{'rps':>9}{'p50 ms':>9}{'p99 ms':>9}{'queries':>9}{'errors':>8}",
        flush=True,
    )
    result: dict[str, Any] = {"backend": backend, "scale": args.scale,
                              "load_generator": generator_of(args), **figures}  # fmt: skip
    for page, m in measured.items():
        queries = built["queries"][page]
        print(f"  {page:<18}{m['rps']:>9.1f}{m['p50_ms']:>9.1f}{m['p99_ms']:>9.1f}"
              f"{queries:>9}{m['failures']:>8}", flush=True)  # fmt: skip
        result[page] = {"rps": m["rps"], "p50_ms": m["p50_ms"], "p99_ms": m["p99_ms"],
                        "queries": queries}  # fmt: skip
    return result


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.pages", description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="times the issue's data set")
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients")
    parser.add_argument("--seconds", type=float, default=10.0, help="load per page")
    parser.add_argument("--workers", type=int, default=2, help="app worker processes")
    parser.add_argument("--pages", default=",".join(PAGES), help="comma-separated subset")
    parser.add_argument("--with-scale-ratio", dest="scale_ratio", action="store_true",
                        default=True)  # fmt: skip
    parser.add_argument("--no-scale-ratio", dest="scale_ratio", action="store_false")
    parser.add_argument("--compare", metavar="REV", help="git revision to compare with")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--reuse", action="store_true", help="keep an earlier data set")
    parser.add_argument("--load-generator", choices=("auto", "wrk", "httpx"), default="auto",
                        help="wrk where installed (auto), else the Python one")  # fmt: skip
    args = parser.parse_args(argv)
    args.pages = tuple(p for p in args.pages.split(",") if p)
    if unknown := set(args.pages) - set(PAGES):
        parser.error(f"unknown pages: {', '.join(sorted(unknown))}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(48))
    os.environ.setdefault("STAFF_TWO_FACTOR", "optional")
    from benchmarks.fanout import ensure_postgres_database

    ensure_postgres_database()
    from boerse.settings import get_settings

    backend = "sqlite" if get_settings().is_sqlite else "postgresql"
    built = asyncio.run(build(args, args.pages))
    measured = measure(args, built, args.pages)
    result = report(backend, args, built, measured)
    scaled = tuple(page for page in SCALED if page in measured)
    if args.scale_ratio and scaled:
        larger = scaled_run(args, scaled)
        ratios = {page: round(larger[page]["p50_ms"] / measured[page]["p50_ms"], 2)
                  for page in scaled}  # fmt: skip
        if "list" in ratios:
            result["scale_ratio"] = ratios["list"]
        result["scale_ratios"] = ratios
        result["x10"] = {page: larger[page] for page in scaled}
        print(f"\n  scale_ratio (p50 at {args.scale * 10:g}× / {args.scale:g}×): "
              + ", ".join(f"{page} {ratio}" for page, ratio in ratios.items()))  # fmt: skip
    if args.compare:
        result["compare"] = compare(args, built, measured)
        print(f"\n  against {args.compare}: " + ", ".join(
            f"{k} {v}" for k, v in result["compare"].items() if k.endswith("ratio")))  # fmt: skip
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
