"""Test fixtures: real SQLite or PostgreSQL, real Redis, a real SMTP server on loopback.

The environment is set before anything from `boerse` is imported, because the Piccolo
engine and the settings are chosen at import time (as litestar-fullstack's tests do)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

_VAR = Path(tempfile.mkdtemp(prefix="boerse-test-"))
os.environ["BOERSE_VAR_DIR"] = str(_VAR)
os.environ["PICCOLO_CONF"] = "boerse.piccolo_conf"
os.environ.setdefault("SECRET_KEY", "test-secret-key-which-is-long-enough-for-hmac")
os.environ["BOERSE_DEV"] = "1"
# As in development, on PostgreSQL too (where development mode is off): factories make staff
# without a second factor. tests/accounts/test_two_factor.py switches `required` on itself.
os.environ["STAFF_TWO_FACTOR"] = "optional"
os.environ["SURVEY_DELAY_MINUTES"] = "0"

from tests.support.services import (  # noqa: E402 - environment first
    prepare_database_url,
    start_redis,
    start_smtp,
)

prepare_database_url()
_REDIS = start_redis(_VAR)
_SMTP = start_smtp()

import pytest  # noqa: E402

pytest_plugins = ["tests.support.fixtures", "tests.support.browser"]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _SMTP.stop()
    if _REDIS is not None:
        from boerse.lib import embedded_redis

        embedded_redis.stop(_REDIS)
