"""The questionnaire results benchmark keeps working: a tiny run in its own SQLite folder
fills its answers, serves the results page and the CSV export through the real app and
prints the JSON line the issue asks for. Figures are not judged here (timings belong to the
benchmark run, never to tests); the row count is."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

KEYS = {
    "backend",
    "answers",
    "questionnaires",
    "large_responses",
    "page_p50_ms",
    "page_p95_ms",
    "page_requests",
    "export_seconds",
    "export_rows",
    "export_memory_growth_mb",
}


@pytest.mark.slow
def test_tiny_benchmark_run_prints_its_json_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env["BOERSE_VAR_DIR"] = str(tmp_path)
    command = [sys.executable, "-m", "benchmarks.surveys", "--answers", "3000", "--requests", "50"]

    result = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=240, check=False
    )

    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures.keys() >= KEYS
    assert (figures["backend"], figures["page_requests"]) == ("sqlite", 50)
    assert figures["large_responses"] == 300
    assert figures["export_rows"] == 300
    assert figures["answers"] == 3000
