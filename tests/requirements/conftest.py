"""The curated qualifications, as after a migration (the shared clean-up empties every table)."""

from __future__ import annotations

import pytest

from boerse.requirements.taxonomy import ensure_qualifications


@pytest.fixture(autouse=True)
async def qualifications(clean_state: None) -> None:
    await ensure_qualifications()
