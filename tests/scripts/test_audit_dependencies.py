"""scripts/audit-dependencies: findings fail the build unless accepted for a while; an
advisory database that cannot be reached is reported and skipped, quickly."""

from __future__ import annotations

import datetime as dt
import importlib.machinery
import importlib.util
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "audit-dependencies"
TODAY = dt.date(2026, 11, 30)


def _load():
    loader = importlib.machinery.SourceFileLoader("audit_dependencies", str(SCRIPT))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[loader.name] = module  # dataclasses look their module up by name
    loader.exec_module(module)
    return module


audit = _load()

PIP_REPORT = {
    "dependencies": [
        {
            "name": "jinja2",
            "version": "3.1.2",
            "vulns": [
                {
                    "id": "GHSA-h5c8-rqwp-cp95",
                    "fix_versions": ["3.1.3"],
                    "aliases": ["CVE-2024-22195"],
                    "description": "xmlattr  allows\nkeys with spaces",
                },
            ],
        },
        {"name": "litestar", "version": "2.25.0", "vulns": []},
        {"name": "boerse-private", "skip_reason": "Dependency not found on PyPI"},
    ],
    "fixes": [],
}

NPM_REPORT = {
    "auditReportVersion": 2,
    "vulnerabilities": {
        "htmx.org": {
            "name": "htmx.org",
            "severity": "moderate",
            "isDirect": True,
            "via": [
                {
                    "source": 1097360,
                    "name": "htmx.org",
                    "title": "XSS in hx-on",
                    "url": "https://github.com/advisories/GHSA-aaaa-bbbb-cccc",
                    "severity": "moderate",
                    "range": "<2.0.5",
                }
            ],
            "fixAvailable": {"name": "htmx.org", "version": "2.0.6", "isSemVerMajor": False},
        },
        "wrapper": {
            "name": "wrapper",
            "severity": "moderate",
            "via": ["htmx.org"],
            "fixAvailable": True,
        },
    },
    "metadata": {"dependencies": {"prod": 3, "dev": 2, "total": 5}},
}


def test_pip_audit_findings_carry_id_aliases_and_fix() -> None:
    report = audit.pip_audit_findings(PIP_REPORT)
    assert report.audited == 2 and report.skipped == ["boerse-private"]
    [finding] = report.findings
    assert (finding.package, finding.version, finding.advisory) == (
        "jinja2",
        "3.1.2",
        "GHSA-h5c8-rqwp-cp95",
    )
    assert finding.aliases == ("CVE-2024-22195",)
    assert finding.fixed_in == "3.1.3"
    assert finding.summary == "xmlattr allows keys with spaces"


def test_a_database_that_knows_none_of_the_packages_is_unreachable_not_clean() -> None:
    """Seen on this machine: a PyPI mirror without the per-version JSON endpoint."""
    skipped = {"dependencies": [{"name": n, "skip_reason": "not found"} for n in ("a", "b")]}
    with pytest.raises(audit.UnreachableError, match="any of the 2 packages"):
        audit.pip_audit_findings(skipped)
    assert audit.pip_audit_findings({"dependencies": []}).findings == []


def test_npm_findings_name_the_advisory_and_the_fix_once_per_advisory() -> None:
    [finding] = audit.npm_audit_findings(NPM_REPORT)
    assert finding.package == "htmx.org" and finding.advisory == "GHSA-aaaa-bbbb-cccc"
    assert finding.fixed_in == "htmx.org 2.0.6"
    assert finding.summary == "moderate: XSS in hx-on"
    assert audit.npm_audit_findings({"vulnerabilities": {}, "metadata": {}}) == []


@pytest.mark.parametrize(
    "report",
    [
        {
            "message": "405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk",
            "statusCode": 405,
            "error": {"summary": "", "detail": ""},
        },
        {"error": {"code": "ENOTFOUND", "summary": "getaddrinfo ENOTFOUND registry.npmjs.org"}},
        {},
    ],
)
def test_an_npm_error_report_is_unreachable(report: dict) -> None:
    with pytest.raises(audit.UnreachableError):
        audit.npm_audit_findings(report)


def test_ignore_entries_need_a_date_and_a_reason_and_expire() -> None:
    ignores = audit.parse_ignores(
        "# comment\n"
        "CVE-2024-22195 2026-12-31 only the xmlattr filter, we never use it\n"
        "GHSA-old 2026-11-29 was waiting for 1.2  # trailing comment\n"
        "GHSA-forever\n"
        "GHSA-nodate someday because\n",
        TODAY,
    )
    assert list(ignores.active) == ["CVE-2024-22195"]
    assert ignores.active["CVE-2024-22195"].until == dt.date(2026, 12, 31)
    assert [entry.advisory for entry in ignores.expired] == ["GHSA-old"]
    assert len(ignores.errors) == 2


def test_an_accepted_advisory_matches_by_any_alias_and_others_stay_open() -> None:
    findings = audit.pip_audit_findings(PIP_REPORT).findings + audit.npm_audit_findings(NPM_REPORT)
    ignores = audit.parse_ignores("CVE-2024-22195 2026-12-31 not reachable from our code\n", TODAY)
    open_, accepted = audit.split_ignored(findings, ignores)
    assert [f.advisory for f in open_] == ["GHSA-aaaa-bbbb-cccc"]
    assert [(f.package, entry.reason) for f, entry in accepted] == [
        ("jinja2", "not reachable from our code")
    ]


@pytest.fixture
def silent_proxy() -> Iterator[str]:
    """A proxy that accepts connections and never answers: a firewall that drops packets,
    the slowest way for a database to be unreachable."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    server.close()


def run_offline(proxy: str, ignore_file: Path) -> tuple[subprocess.CompletedProcess, float]:
    names = (
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "npm_config_https_proxy",
        "npm_config_proxy",
    )
    env = {**os.environ, **dict.fromkeys(names, proxy), "AUDIT_IGNORE_FILE": str(ignore_file)}
    for name in ("NO_PROXY", "no_proxy"):
        env.pop(name, None)
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, str(SCRIPT)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return result, time.monotonic() - started


def test_offline_the_audit_is_skipped_with_a_clear_line_well_within_a_minute(
    silent_proxy: str, tmp_path: Path
) -> None:
    ignore_file = tmp_path / "audit-ignore.txt"
    ignore_file.write_text("# nothing accepted\n")
    result, seconds = run_offline(silent_proxy, ignore_file)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert any(
        line.startswith("pip-audit: advisory database unreachable, audit skipped") for line in lines
    )
    assert any(
        line.startswith("npm audit: advisory database unreachable, audit skipped") for line in lines
    )
    assert seconds < 60


def test_a_broken_ignore_file_fails_even_offline(silent_proxy: str, tmp_path: Path) -> None:
    """An entry without date or reason would accept a finding for ever: refuse it at once."""
    ignore_file = tmp_path / "audit-ignore.txt"
    ignore_file.write_text("GHSA-forever\n")
    result, _ = run_offline(silent_proxy, ignore_file)
    assert result.returncode == 1
    assert "line 1: expected 'ID YYYY-MM-DD reason'" in result.stdout
