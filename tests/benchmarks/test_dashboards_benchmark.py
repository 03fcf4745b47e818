"""The dashboards benchmark keeps working: a tiny run in its own SQLite folder builds its
town, rebuilds the rollups, times every target and prints the JSON line the issue asks for.
Timings are not judged here (they belong to the benchmark run); the counts are."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

TARGETS = ("town_goal", "town_field", "town_mode", "organisation_field", "inventory_matrix")


@pytest.mark.slow
def test_tiny_benchmark_run_prints_its_json_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env["BOERSE_VAR_DIR"] = str(tmp_path)
    command = [sys.executable, "-m", "benchmarks.dashboards", "--scale", "0.005", "--runs", "3",
               "--warmups", "1"]  # fmt: skip

    result = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=240, check=False
    )

    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["backend"] == "sqlite"
    assert (figures["answers"], figures["opportunities"], figures["residents"]) == (5000, 100, 500)
    assert figures["rollup_rows"] > 0 and figures["refresh_full_seconds"] >= 0
    for name in TARGETS:
        assert figures[name]["p95_ms"] >= figures[name]["p50_ms"] > 0
