"""Questionnaire results at town scale: `python -m benchmarks.surveys [--answers N]`.

Fills the configured database (DATABASE_URL, created if missing, or SQLite in
BOERSE_VAR_DIR) with N answers (1,000,000 by default) across 2,000 questionnaires: one large
questionnaire with a tenth of the answers' responses (100,000 at full size) and the rest
spread evenly, all shaped like the short feedback (a 1–5 rating, three agreement statements
with "weiß nicht", a free text answered by about a third). Rows go in as raw multi-row
INSERTs, then `rebuild_tallies()` counts them once. Then it starts the real app
(`boerse serve`) and measures, over HTTP as a signed-in officer, the results page of the
large questionnaire (p50/p95 over --requests requests) and its CSV export (seconds, rows,
and how far the server's resident memory rose above what it held before the download).

The database must be empty or hold an earlier data set of this benchmark (which is
replaced); anything else is refused. The last line printed is one JSON object."""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import secrets
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from typing import Any

os.environ.setdefault("PICCOLO_CONF", "boerse.piccolo_conf")

MARKER = "Benchmark-Fragebögen"
OFFICER_EMAIL = "officer@surveys.bench.example"
QUESTIONNAIRES = 2000
LARGE_SHARE = 0.1
"""The large questionnaire's responses per answer of the data set (100,000 of 1,000,000)."""
TEXT_SHARE = 0.3
DONT_KNOW_SHARE = 0.05
QUESTIONS = (
    ("rating", "Wie bewerten Sie das Angebot insgesamt?"),
    ("agreement", "Das Angebot war gut organisiert."),
    ("agreement", "Meine Mitwirkung hat etwas bewirkt."),
    ("agreement", "Ich würde anderen empfehlen mitzumachen."),
    ("long_text", "Möchten Sie uns noch etwas mitteilen?"),
)
COMMENTS = (
    "Sehr gut organisiert, gerne wieder.",
    "Die Anfahrt war schwierig, sonst alles prima.",
    "=Mehr Termine am Wochenende, bitte!",
    "Ich hätte mir eine bessere Einweisung gewünscht.",
    "Tolles Team, vielen Dank!",
)
ANSWERS_PER_STATEMENT = 4000
"""Rows per INSERT: 6 values each stays below both engines' parameter limits."""


# --- the data set ------------------------------------------------------------------------------


def plan_sizes(answers: int, questionnaires: int) -> tuple[int, list[int]]:
    """Responses of the large questionnaire and of each of the others."""
    per_response = len(QUESTIONS) - 1 + TEXT_SHARE
    large = max(1, round(answers * LARGE_SHARE))
    rest = max(0, answers - math.ceil(large * per_response))
    others = max(0, questionnaires - 1)
    each = math.floor(rest / per_response / others) if others else 0
    return large, [each] * others


async def insert_rows(table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Multi-row INSERTs with parameters, in statements below the parameter limits."""
    from piccolo.table import Table

    if not rows:
        return
    size = max(1, 30000 // len(columns))
    names = ", ".join(f'"{c}"' for c in columns)
    one_row = "(" + ", ".join("{}" for _ in columns) + ")"
    for start in range(0, len(rows), size):
        chunk = rows[start : start + size]
        sql = f'INSERT INTO "{table}" ({names}) VALUES ' + ", ".join(one_row for _ in chunk)
        await Table.raw(sql, *(value for row in chunk for value in row))


async def next_id(table: str) -> int:
    from piccolo.table import Table

    rows = await Table.raw(f'SELECT COALESCE(MAX(id), 0) AS top FROM "{table}"')
    return int(rows[0]["top"]) + 1


async def reset_sequences(tables: Sequence[str]) -> None:
    """Rows written with explicit ids leave PostgreSQL's sequences behind: catch them up."""
    from boerse.lib.db import is_sqlite
    from boerse.piccolo_conf import DB

    if is_sqlite():
        return
    for table in tables:
        await DB.run_ddl(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
            f'(SELECT COALESCE(MAX(id), 1) FROM "{table}"))'
        )


class DataSet:
    """Plans every row with one seeded generator and writes it table by table."""

    def __init__(self, answers: int, questionnaires: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.large, self.others = plan_sizes(answers, questionnaires)
        self.target = answers
        self.answers_written = 0

    async def write(self) -> tuple[int, str]:
        """Returns the large questionnaire's id and a session token of its officer."""
        from boerse.accounts.sessions import start_session
        from boerse.accounts.tables import Organisation, Role, User
        from boerse.lib.db import utcnow, write_transaction
        from boerse.lib.security import hash_password

        organisation = Organisation(name=MARKER)
        await organisation.save()
        officer = User(
            email=OFFICER_EMAIL,
            password_hash=hash_password(secrets.token_urlsafe(16)),
            display_name="Benchmark",
            role=Role.OFFICER.value,
            organisation=organisation.id,
            email_verified_at=utcnow(),
            calendar_token=secrets.token_urlsafe(24),
        )
        await officer.save()
        sizes = [self.large, *self.others]
        async with write_transaction():
            first = await self.write_questionnaires(organisation.id, len(sizes))
            await self.write_responses(first, sizes)
        await reset_sequences(
            ("questionnaire", "questionnaire_version", "question", "response", "answer")
        )
        from boerse.questionnaires.tally import rebuild_tallies

        async with write_transaction():
            await rebuild_tallies()
        return first, await start_session(officer.id)

    async def write_questionnaires(self, organisation_id: int, count: int) -> int:
        """Questionnaire n has id first+n, version id version+n, questions in a block of 5."""
        from boerse.lib.db import utcnow

        now = utcnow()
        self.first = await next_id("questionnaire")
        self.version = await next_id("questionnaire_version")
        self.question = await next_id("question")
        await insert_rows(
            "questionnaire",
            ("id", "organisation", "kind", "title", "intro", "language", "is_template",
             "reminder_days", "created_at", "updated_at"),
            [(self.first + n, organisation_id, "survey", f"{MARKER} {n}", "", "de", False,
              "3,10", now, now) for n in range(count)],
        )  # fmt: skip
        await insert_rows(
            "questionnaire_version",
            ("id", "questionnaire", "number", "created_at"),
            [(self.version + n, self.first + n, 1, now) for n in range(count)],
        )
        await insert_rows(
            "question",
            ("id", "version", "position", "page", "section", "kind", "text", "help", "required",
             "options", "allow_dont_know", "per_stop"),
            [(self.question_id(n, p), self.version + n, p, 1 if kind != "long_text" else 2, "",
              kind, text, "", kind != "long_text", "[]", kind == "agreement", False)
             for n in range(count) for p, (kind, text) in enumerate(QUESTIONS)],
        )  # fmt: skip
        return self.first

    def question_id(self, questionnaire: int, position: int) -> int:
        return self.question + questionnaire * len(QUESTIONS) + position

    def answers_of(self, questionnaire: int, response_id: int) -> list[tuple]:
        rng = self.rng
        good = rng.random() < 0.7
        rows = []
        rating = rng.choice((4, 5, 5, 3) if good else (1, 2, 3, 4))
        rows.append((response_id, self.question_id(questionnaire, 0), str(rating), rating, None))
        for position in (1, 2, 3):
            if rng.random() < DONT_KNOW_SHARE:
                rows.append((response_id, self.question_id(questionnaire, position),
                             "dont_know", None, None))  # fmt: skip
                continue
            value = rng.choice((4, 4, 3, 2) if good else (3, 2, 1, 1))
            rows.append(
                (response_id, self.question_id(questionnaire, position), str(value), value, None)
            )
        if rng.random() < TEXT_SHARE:
            rows.append((response_id, self.question_id(questionnaire, 4), None, None,
                         rng.choice(COMMENTS)))  # fmt: skip
        return rows

    async def write_responses(self, first: int, sizes: Sequence[int]) -> None:
        """Responses and answers, a block at a time (memory stays small); then more
        responses to the small questionnaires in turn until exactly `target` answers."""
        from boerse.lib.db import utcnow

        day = utcnow().replace(hour=0, minute=0, second=0, microsecond=0)
        self.next_response = await next_id("response")
        self.block: list[tuple] = []
        self.answers: list[tuple] = []
        for n, size in enumerate(sizes):
            for _ in range(size):
                await self.add_response(first, n, day)
        turn = 0
        while self.answers_written + len(self.answers) < self.target:
            await self.add_response(first, 1 + turn % max(1, len(sizes) - 1), day)
            turn += 1
        surplus = self.answers_written + len(self.answers) - self.target
        keep = len(self.answers) - min(max(0, surplus), len(self.answers))
        await self.flush(self.block, self.answers[:keep])  # the last response answers less

    async def add_response(self, first: int, n: int, day: object) -> None:
        completed = self.rng.random() > 0.02
        self.block.append((self.next_response, first + n, self.version + n, len(QUESTIONS) - 3,
                           completed, day))  # fmt: skip
        self.answers += self.answers_of(n, self.next_response)
        self.next_response += 1
        if len(self.answers) >= 50_000:
            await self.flush(self.block, self.answers)
            self.block, self.answers = [], []

    async def flush(self, responses: list[tuple], answers: list[tuple]) -> None:
        await insert_rows(
            "response",
            ("id", "questionnaire", "version", "progress", "completed", "submitted_at"),
            responses,
        )
        await insert_rows("answer", ("response", "question", "choice", "number", "text"), answers)
        self.answers_written += len(answers)


async def prepare(args: argparse.Namespace) -> tuple[int, str, int, float]:
    """Migrate, refuse foreign data, replace an earlier data set, build; returns the large
    questionnaire's id, an officer's session token, the answers written and seconds."""
    from boerse.accounts.tables import Organisation, User
    from boerse.lib.db import is_sqlite
    from boerse.piccolo_conf import DB

    ours = await Organisation.count().where(Organisation.name == MARKER)
    if await Organisation.count() - ours or await User.count() - ours:
        raise SystemExit("This database holds data that is not this benchmark's: refused.")
    if ours:
        await wipe()
    started = time.perf_counter()
    data = DataSet(args.answers, args.questionnaires, args.seed)
    large, token = await data.write()
    await DB.run_ddl("ANALYZE" if is_sqlite() else "VACUUM ANALYZE")
    return large, token, data.answers_written, time.perf_counter() - started


async def wipe() -> None:
    """The earlier data set: its organisation (questionnaires, answers and the officer go with
    it by cascade), its officer, and the tallies, which are recounted."""
    from boerse.accounts.tables import Organisation, User
    from boerse.lib.db import write_transaction
    from boerse.questionnaires.tables import Questionnaire
    from boerse.questionnaires.tally import rebuild_tallies

    async with write_transaction():
        await Questionnaire.delete().where(Questionnaire.organisation.name == MARKER)
        await User.delete().where(User.email == OFFICER_EMAIL)
        await Organisation.delete().where(Organisation.name == MARKER)
        await rebuild_tallies()


# --- measuring ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    env = dict(os.environ)
    env.setdefault("SECRET_KEY", secrets.token_urlsafe(48))
    env["STAFF_TWO_FACTOR"] = "optional"
    server = subprocess.Popen(
        [sys.executable, "-m", "boerse.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return server
        if server.poll() is not None:
            raise SystemExit("The app did not start (boerse serve exited).")
        time.sleep(0.1)
    server.kill()
    raise SystemExit("The app did not start within 30 s.")


def resident_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class MemoryWatch:
    """Samples a process's resident memory every few milliseconds while a download runs."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self.running = pid, resident_kb(pid), True
        self.thread = threading.Thread(target=self.sample, daemon=True)

    def sample(self) -> None:
        while self.running:
            self.peak = max(self.peak, resident_kb(self.pid))
            time.sleep(0.005)

    def __enter__(self) -> MemoryWatch:
        self.before = resident_kb(self.pid)
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.running = False
        self.thread.join()


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def measure(args: argparse.Namespace, large: int, token: str) -> dict[str, Any]:
    import httpx

    from boerse.accounts.auth import SESSION_COOKIE

    port = free_port()
    server = start_server(port)
    base = f"http://127.0.0.1:{port}"
    page = f"/verwaltung/frageboegen/{large}/ergebnisse/"
    try:
        with httpx.Client(base_url=base, cookies={SESSION_COOKIE: token}, timeout=600) as http:
            for _ in range(5):  # warm up: imports, templates, connections, caches
                response = http.get(page)
                if response.status_code != 200:
                    raise SystemExit(f"The results page answered {response.status_code}.")
            page_ms = []
            for _ in range(args.requests):
                started = time.perf_counter()
                response = http.get(page)
                page_ms.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200
            rows = 0
            with MemoryWatch(server.pid) as memory:
                started = time.perf_counter()
                with http.stream("GET", page + "antworten.csv") as download:
                    assert download.status_code == 200, download.status_code
                    for line in download.iter_lines():
                        rows += bool(line)
                export_s = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {
        "page_ms": page_ms,
        "export_seconds": export_s,
        "export_rows": rows - 1,  # the header
        "export_memory_growth_mb": max(0, memory.peak - memory.before) / 1024,
        "server_memory_mb": memory.before / 1024,
    }


def report(args: argparse.Namespace, backend: str, built: dict, m: dict) -> dict[str, Any]:
    label = f"results page, {len(m['page_ms'])} requests"
    lines = [
        f"Questionnaire results on {backend}: {built['answers']:,} answers in "
        f"{args.questionnaires:,} questionnaires, the large one with {built['large']:,} "
        f"responses (data built in {built['seconds']:,.1f} s)",
        "",
        f"  {'measure':<46}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}",
        f"  {label:<46}"
        f"{percentile(m['page_ms'], 0.5):>10.1f}{percentile(m['page_ms'], 0.95):>10.1f}"
        f"{max(m['page_ms']):>10.1f}",
        "",
        f"  CSV export: {m['export_rows']:,} rows in {m['export_seconds']:.1f} s, server memory "
        f"{m['server_memory_mb']:.0f} MB before, peak growth {m['export_memory_growth_mb']:.1f} MB",
    ]
    print("\n".join(lines), flush=True)
    return {
        "backend": backend,
        "answers": built["answers"],
        "questionnaires": args.questionnaires,
        "large_responses": built["large"],
        "page_p50_ms": round(percentile(m["page_ms"], 0.5), 1),
        "page_p95_ms": round(percentile(m["page_ms"], 0.95), 1),
        "page_requests": len(m["page_ms"]),
        "export_seconds": round(m["export_seconds"], 2),
        "export_rows": m["export_rows"],
        "export_memory_growth_mb": round(m["export_memory_growth_mb"], 1),
        "build_seconds": round(built["seconds"], 1),
    }


async def build(args: argparse.Namespace) -> dict[str, Any]:
    from boerse.lib.db import close_database, open_database
    from boerse.lib.migrate import migrate

    await migrate()
    await open_database()
    try:
        large, token, answers, seconds = await prepare(args)
    finally:
        await close_database()
    large_responses = plan_sizes(args.answers, args.questionnaires)[0]
    return {"id": large, "token": token, "answers": answers, "seconds": seconds,
            "large": large_responses}  # fmt: skip


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.surveys", description=__doc__)
    parser.add_argument("--answers", type=int, default=1_000_000)
    parser.add_argument(
        "--questionnaires", type=int, default=None, help="default: 2,000 (fewer for small runs)"
    )
    parser.add_argument("--requests", type=int, default=100, help="results pages to time (≥ 50)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    if args.questionnaires is None:
        args.questionnaires = max(2, min(QUESTIONNAIRES, args.answers // 500))
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from benchmarks.fanout import ensure_postgres_database

    ensure_postgres_database()
    from boerse.settings import get_settings

    backend = "sqlite" if get_settings().is_sqlite else "postgresql"
    built = asyncio.run(build(args))
    figures = report(args, backend, built, measure(args, built["id"], built["token"]))
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
