"""`boerse` command line: serve, worker, migrate, demo, create-user and `run` (all in one)."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import signal
import subprocess
import sys

os.environ.setdefault("PICCOLO_CONF", "boerse.piccolo_conf")


def cmd_migrate(_: argparse.Namespace) -> int:
    from boerse.lib.migrate import migrate

    asyncio.run(migrate())
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from boerse.lib.logs import uvicorn_log_config

    uvicorn.run(
        "boerse.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        proxy_headers=True,
        log_level="info",
        log_config=uvicorn_log_config(),
    )
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    from worker.runner import run

    return run(burst=args.burst)


def cmd_health(args: argparse.Namespace) -> int:
    """For container health checks: 0 when healthy. `--worker`: a worker on this host has
    sent its heartbeat within the last minute (it writes one every 10 s)."""
    import socket

    from boerse.lib.db import close_database, open_database
    from boerse.lib.queue import close_queue
    from boerse.operations.services import health, worker_is_alive

    async def check() -> bool:
        await open_database()
        try:
            if args.worker:
                return await worker_is_alive(f"{socket.gethostname()}:")
            report = await health()
            return report.database_ok and report.redis_ok
        finally:
            await close_queue()
            await close_database()

    healthy = asyncio.run(check())
    print("ok" if healthy else "unhealthy")
    return 0 if healthy else 1


def cmd_demo(args: argparse.Namespace) -> int:
    from boerse.demo.loader import load_demo

    created = asyncio.run(load_demo(force=args.force))
    print("Demo-Daten geladen." if created else "Demo-Daten sind schon vorhanden.")
    from boerse.demo.loader import print_logins

    print_logins()
    return 0


def cmd_reindex(_: argparse.Namespace) -> int:
    from boerse.matching.index import rebuild_index

    offers, residents = asyncio.run(rebuild_index())
    print(f"Matching-Index neu aufgebaut: {offers} Angebote, {residents} Profile.")
    return 0


def cmd_create_user(args: argparse.Namespace) -> int:
    from boerse.accounts.admin_services import create_staff_user

    password = args.password or getpass.getpass("Passwort: ")
    try:
        user_id = asyncio.run(
            create_staff_user(args.email, password, args.role, args.organisation, args.name)
        )
    except ValueError as error:
        print(f"Fehler: {error}", file=sys.stderr)
        return 1
    print(f"Konto {args.email} ({args.role}) angelegt, id {user_id}.")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    """Embedded mode in one command: Redis, migrations, demo data, then web and worker,
    each restarted when it dies, until Ctrl-C or SIGTERM."""
    from boerse.lib import embedded_redis, supervisor
    from boerse.settings import get_settings

    settings = get_settings()
    supervisor.stop_on_signals()
    server = None
    env = dict(os.environ)
    try:
        if not settings.redis_url:
            server = embedded_redis.start(settings.embedded_redis_path)
            env["REDIS_URL"] = embedded_redis.url_of(server)
        boerse = [sys.executable, "-m", "boerse.cli"]
        for step in (["migrate"], ["demo"]):
            subprocess.run([*boerse, *step], env=env, check=True)
        serve = ["serve", "--host", args.host, "--port", str(args.port)]
        children = [
            supervisor.Child("worker", [*boerse, "worker"]),
            supervisor.Child("web", [*boerse, *serve]),
        ]
        print(
            f"\nMitmach-Börse läuft auf http://{args.host}:{args.port} (Strg+C beendet)\n",
            flush=True,
        )
        supervisor.run(children, env)
        return 0
    except KeyboardInterrupt:
        return 0
    finally:
        if server is not None:
            # a further Ctrl-C must not leave the detached Redis behind
            signal.pthread_sigmask(signal.SIG_BLOCK, supervisor.STOP_SIGNALS)
            embedded_redis.stop(server)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="boerse", description="Mitmach-Börse")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="apply database migrations").set_defaults(func=cmd_migrate)
    serve = commands.add_parser("serve", help="serve the web application")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(func=cmd_serve)
    worker = commands.add_parser("worker", help="run the background worker")
    worker.add_argument("--burst", action="store_true", help="stop when the queue is empty")
    worker.set_defaults(func=cmd_worker)
    health = commands.add_parser("health", help="exit 0 when database and Redis answer")
    health.add_argument("--worker", action="store_true", help="check this host's worker instead")
    health.set_defaults(func=cmd_health)
    demo = commands.add_parser("demo", help="load demo data (once)")
    demo.add_argument("--force", action="store_true", help="load even if data exists")
    demo.set_defaults(func=cmd_demo)
    reindex = commands.add_parser("reindex", help="rebuild the matching index from the data")
    reindex.set_defaults(func=cmd_reindex)
    user = commands.add_parser("create-user", help="create an officer or admin account")
    user.add_argument("email")
    user.add_argument("--role", choices=["officer", "admin"], required=True)
    user.add_argument("--organisation", default="", help="organisation name (officers)")
    user.add_argument("--name", default="")
    user.add_argument("--password", default="", help="asked for when omitted")
    user.set_defaults(func=cmd_create_user)
    run = commands.add_parser("run", help="embedded: migrate, demo, web and worker together")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8000)
    run.set_defaults(func=cmd_run)
    return parser


def derive_base_url(host: str, port: int) -> None:
    """Without BASE_URL, links in mails, feeds and banners point at the address actually
    served (`boerse run --port 8080` used to link to port 8000). Set in the environment, so
    the web and worker children started by `run` inherit it."""
    if os.environ.get("BASE_URL"):
        return
    reachable = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host  # noqa: S104
    if ":" in reachable:
        reachable = f"[{reachable}]"
    os.environ["BASE_URL"] = f"http://{reachable}:{port}"


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from boerse.settings import SettingsError, get_settings

    if args.func in (cmd_serve, cmd_run):
        derive_base_url(args.host, args.port)
        get_settings.cache_clear()

    try:
        settings = get_settings()
        if args.func in (cmd_serve, cmd_run):
            settings.require_strong_secret()
    except SettingsError as error:
        print(f"Fehler: {error}", file=sys.stderr)
        return 2
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
