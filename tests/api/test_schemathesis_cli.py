"""Schemathesis's own command line, as an API's maintainers would run it before a release:
every phase (examples, coverage of each parameter's edges and of undeclared methods, fuzzing,
stateful sequences) against a real server, with a partner key so the writing operations are
reached beyond their 401. The in-process test beside it (`test_schemathesis.py`) runs the
generated cases one by one; this one checks what only a full run finds (an `Allow` header
that leaves out a method, a number taken for a date)."""

from __future__ import annotations

import asyncio
import os
import re
import sys
from pathlib import Path

import pytest

from boerse.api.router import API_PATH
from tests.partners.helpers import issue
from tests.support.browser import app_server
from tests.support.factories import make_opportunity, make_organisation, make_session

SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"


def _without_coverage() -> dict[str, str]:
    """The environment without coverage's subprocess hook: schemathesis is not our code, and
    measured from its own folder it would add every file of `boerse` as unexecuted, the
    omitted migrations included, to the run's coverage."""
    return {name: value for name, value in os.environ.items() if not name.startswith("COVERAGE_")}


@pytest.mark.slow
async def test_a_full_schemathesis_run_finds_nothing(database: None, tmp_path: Path) -> None:
    organisation = await make_organisation("Grünflächenamt")
    offer = await make_opportunity(organisation, postcode="04177")
    await make_session(offer)
    key = (await issue(organisation, per_minute=1_000_000)).key
    # The public limit per address would answer most generated requests with 429.
    with app_server(API_REQUESTS_PER_MINUTE="1000000") as url:
        process = await asyncio.create_subprocess_exec(
            str(SCHEMATHESIS),
            "run",
            f"{url}{API_PATH}/openapi.json",
            # Whether a slug, postcode or id is known depends on the data, not the schema.
            "--exclude-checks=positive_data_acceptance",
            "--max-examples=10",
            "--no-color",
            f"--header=Authorization: Bearer {key}",
            cwd=tmp_path,
            env=_without_coverage(),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        output, _ = await process.communicate()
    report = output.decode()
    summary = report[report.rfind("SUMMARY") :]
    assert process.returncode == 0, report[-6000:]
    selected, total = map(int, re.search(r"Selected: (\d+)/(\d+)", summary).groups())
    assert selected == total >= 18  # the read API and the partners' operations, all of them
    assert int(re.search(r"Tested: (\d+)", summary).group(1)) == total, summary
    assert "failures" not in summary, summary
