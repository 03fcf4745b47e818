"""The survey fan-out end to end: `python -m benchmarks.fanout --participations N [--kill K]`.

Builds N attended participations of dates that have just ended (in the configured
database: DATABASE_URL, created if missing, or SQLite in BOERSE_VAR_DIR), starts a mail
server on 127.0.0.1 that records each Message-ID (benchmarks/smtp_sink.py), then runs the
real worker process(es) (`boerse worker`) with the survey delay at 0 and measures the time
from the worker's start until every survey has arrived. With --kill K the first worker is
killed with SIGKILL K times during delivery (at even steps of progress) and restarted at
once; `recovery_seconds` is the time from the last restart until everything arrived.

The database must be empty or hold only earlier benchmark data (this one's is deleted
first). Redis is REDIS_URL, or an embedded one in BOERSE_VAR_DIR. The last line printed is
one JSON object with the figures."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

os.environ.setdefault("PICCOLO_CONF", "boerse.piccolo_conf")

MARKER = "Fanout-Benchmark"
EMAIL_DOMAIN = "fanout.bench.example"
PER_SESSION = 200
TIME_LIMIT_S = 900


# --- the database --------------------------------------------------------------------------


def ensure_postgres_database() -> None:
    """A benchmark database named in DATABASE_URL is created when it does not exist yet."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return
    import asyncpg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")

    async def create() -> None:
        admin = await asyncpg.connect(parsed._replace(path="/postgres").geturl())
        try:
            if not await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
                await admin.execute(f'CREATE DATABASE "{name}"')
        finally:
            await admin.close()

    asyncio.run(create())


async def build(participations: int) -> None:
    """N residents, one offer, dates that ended a minute ago, everyone attended."""
    from boerse.accounts.tables import Organisation, User
    from boerse.lib.db import utcnow
    from boerse.lib.security import hash_password
    from boerse.opportunities.tables import (
        Attendance,
        Mode,
        Opportunity,
        OpportunitySession,
        OpportunityStatus,
        SignUp,
        SignUpStatus,
    )
    from boerse.profiles.tables import FieldOfAction

    await forget_earlier_run()
    if await User.count() or await Opportunity.count():
        raise SystemExit("The database holds other data: use an empty one for the benchmark.")
    organisation = Organisation(name=MARKER)
    await organisation.save()
    field = await FieldOfAction.select(FieldOfAction.id).first()
    opportunity = Opportunity(
        organisation=organisation.id,
        title="Stadtputz – alle packen mit an",
        description="Der große Frühjahrsputz der Stadt.",
        field=field["id"],
        mode=Mode.CO_DELIVER.value,
        status=OpportunityStatus.PUBLISHED.value,
        published_at=utcnow(),
    )
    await opportunity.save()
    ended = utcnow() - dt.timedelta(minutes=1)
    sessions = (participations + PER_SESSION - 1) // PER_SESSION
    session_rows = await OpportunitySession.insert(
        *(
            OpportunitySession(
                opportunity=opportunity.id,
                starts_at=ended - dt.timedelta(hours=3),
                ends_at=ended,
                capacity=PER_SESSION,
                seats_taken=PER_SESSION,
            )
            for _ in range(sessions)
        )
    ).returning(OpportunitySession.id)
    password = hash_password("benchmark-password-not-used")
    for start in range(0, participations, 1000):
        count = min(1000, participations - start)
        users = await User.insert(
            *(
                User(
                    email=f"helper{start + n}@{EMAIL_DOMAIN}",
                    password_hash=password,
                    display_name=f"Helferin {start + n}",
                    email_verified_at=utcnow(),
                    calendar_token=f"fanout-{start + n}",
                )
                for n in range(count)
            )
        ).returning(User.id)
        await SignUp.insert(
            *(
                SignUp(
                    session=session_rows[(start + n) // PER_SESSION]["id"],
                    user=row["id"],
                    status=SignUpStatus.CONFIRMED.value,
                    attendance=Attendance.ATTENDED.value,
                )
                for n, row in enumerate(users)
            )
        )


async def forget_earlier_run() -> None:
    """Deletes this benchmark's earlier data and every outbox row (the sink counts all)."""
    from boerse.accounts.tables import Organisation, User
    from boerse.opportunities.tables import Opportunity
    from boerse.outbox.tables import OutboxEmail

    await OutboxEmail.delete(force=True)
    await Opportunity.delete().where(Opportunity.organisation.name == MARKER)
    await User.delete().where(User.email.like(f"%@{EMAIL_DOMAIN}"))
    await Organisation.delete().where(Organisation.name == MARKER)


async def tidy() -> None:
    """Start as a production database would be: statistics fresh and the dead rows of
    earlier runs vacuumed away (autovacuum lags behind a benchmark's churn)."""
    from boerse.lib.db import is_sqlite
    from boerse.piccolo_conf import DB

    await DB.run_ddl("ANALYZE" if is_sqlite() else "VACUUM ANALYZE")


async def prepare(participations: int) -> float:
    from boerse.lib.db import close_database, open_database
    from boerse.lib.migrate import migrate

    started = time.monotonic()
    await migrate()
    await open_database()
    try:
        await build(participations)
        await tidy()
    finally:
        await close_database()
    return time.monotonic() - started


# --- processes -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Run:
    """The sink, Redis and the worker processes of one measurement."""

    def __init__(self, var_dir: Path, workers: int) -> None:
        self.var_dir = var_dir
        self.sink_file = var_dir / "fanout-sink.txt"
        self.sink_file.write_bytes(b"")
        self.port = free_port()
        self.redis = None
        self.env = dict(os.environ)
        self.env.update(SMTP_HOST="127.0.0.1", SMTP_PORT=str(self.port), SURVEY_DELAY_MINUTES="0")
        if not self.env.get("REDIS_URL"):
            from boerse.lib import embedded_redis

            self.redis = embedded_redis.start(var_dir / "redis" / "fanout.db")
            self.redis.flushdb()
            self.env["REDIS_URL"] = embedded_redis.url_of(self.redis)
        self.sink = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.smtp_sink", "--port", str(self.port),
             "--out", str(self.sink_file)],
        )  # fmt: skip
        wait_for_port(self.port)
        self.workers: list[subprocess.Popen] = [None] * workers  # type: ignore[list-item]

    def start_worker(self, index: int) -> None:
        log = (self.var_dir / f"fanout-worker-{index}.log").open("ab")
        self.workers[index] = subprocess.Popen(
            [sys.executable, "-m", "boerse.cli", "worker"],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def kill_worker(self, index: int) -> None:
        self.workers[index].send_signal(signal.SIGKILL)
        self.workers[index].wait()

    def received(self) -> list[bytes]:
        return self.sink_file.read_bytes().splitlines()

    def close(self) -> None:
        for worker in self.workers:
            if worker is not None and worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
        for worker in self.workers:
            if worker is not None:
                try:
                    worker.wait(timeout=40)
                except subprocess.TimeoutExpired:
                    worker.kill()
        self.sink.send_signal(signal.SIGTERM)
        self.sink.wait(timeout=10)
        if self.redis is not None:
            from boerse.lib import embedded_redis

            embedded_redis.stop(self.redis)


def wait_for_port(port: int) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise SystemExit("The mail sink did not start.")


def measure(args: argparse.Namespace, var_dir: Path) -> dict[str, Any]:
    run = Run(var_dir, args.workers)
    kills_at = [args.participations * (k + 1) // (args.kill + 2) for k in range(args.kill)]
    try:
        started = time.monotonic()
        for index in range(args.workers):
            run.start_worker(index)
        last_restart = None
        distinct = 0
        while distinct < args.participations and time.monotonic() - started < TIME_LIMIT_S:
            time.sleep(0.2)
            distinct = len(set(run.received()))
            if kills_at and distinct >= kills_at[0]:
                kills_at.pop(0)
                run.kill_worker(0)
                run.start_worker(0)
                last_restart = time.monotonic()
        finished = time.monotonic()
        time.sleep(1.0)  # a duplicate still on its way is counted too
        received = run.received()
    finally:
        run.close()
    seconds = finished - started
    figures: dict[str, Any] = {
        "seconds_to_all_delivered": round(seconds, 1),
        "mails_per_second": round(len(set(received)) / seconds, 1),
        "missing": args.participations - len(set(received)),
        "duplicates": len(received) - len(set(received)),
    }
    if args.kill:
        figures["kills"] = args.kill
        figures["recovery_seconds"] = round(finished - last_restart, 1) if last_restart else None
    return figures


def report(args: argparse.Namespace, backend: str, build_s: float, m: dict[str, Any]) -> dict:
    lines = [
        f"Survey fan-out: {args.participations} participations, {args.workers} worker(s), "
        f"{args.kill} kill(s), {backend} (data built in {build_s:.0f} s)",
        f"{'all delivered after':<26}{m['seconds_to_all_delivered']:>10} s",
        f"{'mails per second':<26}{m['mails_per_second']:>10}",
        f"{'missing':<26}{m['missing']:>10}",
        f"{'duplicates':<26}{m['duplicates']:>10}",
    ]
    if args.kill:
        lines.append(f"{'after the last restart':<26}{m['recovery_seconds']:>10} s")
    print("\n".join(lines), flush=True)
    return {"backend": backend, "participations": args.participations, "workers": args.workers, **m}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.fanout", description=__doc__)
    parser.add_argument("--participations", type=int, default=10_000)
    parser.add_argument("--kill", type=int, default=0, help="SIGKILL the worker this often")
    parser.add_argument("--workers", type=int, default=1)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    ensure_postgres_database()
    from boerse.settings import get_settings

    settings = get_settings()
    backend = "sqlite" if settings.is_sqlite else "postgresql"
    build_s = asyncio.run(prepare(args.participations))
    figures = report(args, backend, build_s, measure(args, settings.var_dir))
    print(json.dumps(figures))
    return 0 if figures["missing"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
