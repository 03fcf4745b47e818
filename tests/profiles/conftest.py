"""Workaround for the shared clean-up on SQLite (see the report): it deletes `organisation` and
`field_of_action` before `opportunity`, which their ON DELETE RESTRICT refuses. Removing the
opportunities after each test (cascading to sessions and sign-ups) keeps it working."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from boerse.lib.db import is_sqlite
from boerse.piccolo_conf import DB


@pytest.fixture(autouse=True)
async def remove_opportunities() -> AsyncIterator[None]:
    yield
    if is_sqlite():
        await DB.run_ddl('DELETE FROM "opportunity"')
