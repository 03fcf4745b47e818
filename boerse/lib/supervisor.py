"""Keep a few long-running child processes alive, as `boerse run` does for web and worker.

A child that exits, for whatever reason, is started again after a pause that doubles with
every exit in a row (1 s, 2 s, 4 s … at most 30 s) and starts again at 1 s once the child
ran a minute. SIGINT, SIGTERM or SIGHUP to the supervisor stops every child with SIGTERM and
kills what is still running after 30 s (a second signal kills at once).

Each child runs in its own process group: Ctrl-C in the terminal then reaches only the
supervisor, so a child is asked to stop exactly once, and its own subprocesses go with it."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import time
from dataclasses import dataclass

log = logging.getLogger(__name__)

FIRST_DELAY_S = 1.0
MAX_DELAY_S = 30.0
STABLE_AFTER_S = 60.0
STOP_TIMEOUT_S = 30.0
POLL_S = 0.2
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


@dataclass
class Child:
    name: str
    argv: list[str]
    process: subprocess.Popen | None = None
    restarts: int = 0
    """Exits in a row without a stable run in between; sets the next pause."""
    started_at: float = 0.0
    """`time.monotonic()` of the last start."""
    restart_at: float | None = None
    """When a child that exited is due to start again."""


def backoff_delay(restarts: int) -> float:
    """The pause before the next start after `restarts` exits in a row."""
    return min(MAX_DELAY_S, FIRST_DELAY_S * 2 ** min(restarts, 16))


def restarts_in_a_row(restarts: int, ran_s: float) -> int:
    """A child that ran long enough before it died starts again from the shortest pause."""
    return 0 if ran_s >= STABLE_AFTER_S else restarts


def stop_on_signals() -> None:
    """SIGINT, SIGTERM and SIGHUP all raise KeyboardInterrupt, so they take the clean-up path,
    also when the process was started in the background with SIGINT ignored."""
    for signum in STOP_SIGNALS:
        signal.signal(signum, _raise_keyboard_interrupt)


def run(
    children: list[Child],
    env: dict[str, str] | None = None,
    stop_timeout_s: float = STOP_TIMEOUT_S,
) -> None:
    """Start the children and keep them running until a stop signal, then stop them all."""
    try:
        for child in children:
            start(child, env)
        while True:
            now = time.monotonic()
            for child in children:
                tend(child, env, now)
            time.sleep(POLL_S)
    except KeyboardInterrupt:
        pass
    finally:
        stop(children, stop_timeout_s)


def start(child: Child, env: dict[str, str] | None) -> None:
    child.restart_at = None
    child.started_at = time.monotonic()
    child.process = subprocess.Popen(child.argv, env=env, process_group=0)


def tend(child: Child, env: dict[str, str] | None, now: float) -> None:
    """Notice an exit and plan the restart, or start the child when its pause is over."""
    if child.restart_at is not None:
        if now >= child.restart_at:
            start(child, env)
        return
    code = child.process.poll()
    if code is None:
        return
    _signal_group(child.process.pid, signal.SIGKILL)  # whatever it left behind
    child.restarts = restarts_in_a_row(child.restarts, now - child.started_at)
    delay = backoff_delay(child.restarts)
    child.restarts += 1
    child.restart_at = now + delay
    log.warning("%s exited with code %s, restarting in %g s", child.name, code, delay)


def stop(children: list[Child], timeout_s: float = STOP_TIMEOUT_S) -> None:
    """SIGTERM to every running child, SIGKILL to what still runs after `timeout_s` or when
    another stop signal comes while waiting."""
    running = [c for c in children if c.process is not None and c.process.poll() is None]
    for child in running:
        _signal_group(child.process.pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout_s
    try:
        for child in running:
            try:
                child.process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log.warning("%s did not stop within %g s, killing it", child.name, timeout_s)
    except KeyboardInterrupt:
        log.warning("stopping at once")
    finally:
        for child in running:
            _signal_group(child.process.pid, signal.SIGKILL)
            child.process.wait()


def _signal_group(pgid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signum)


def _raise_keyboard_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
