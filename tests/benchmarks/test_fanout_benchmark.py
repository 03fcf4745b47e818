"""The fan-out benchmark keeps working: a small run with one SIGKILL, in its own SQLite
folder and with its own embedded Redis, prints the JSON line the issue asks for and loses
no mail. Figures are not judged here (timings belong to the benchmark run, never to tests)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

KEYS = {
    "backend",
    "participations",
    "seconds_to_all_delivered",
    "mails_per_second",
    "missing",
    "duplicates",
    "recovery_seconds",
}


@pytest.mark.slow
def test_small_fanout_run_with_a_kill_prints_its_json_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(BOERSE_VAR_DIR=str(tmp_path), OUTBOX_LEASE_SECONDS="12")
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.fanout", "--participations", "400", "--kill", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )

    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures.keys() >= KEYS
    assert (figures["backend"], figures["participations"]) == ("sqlite", 400)
    assert figures["missing"] == 0
    assert figures["duplicates"] <= 1
