"""Leaves no opportunities behind: their RESTRICT keys would block the shared per-test DELETEs."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from boerse.opportunities.tables import Opportunity


@pytest.fixture(autouse=True)
async def remove_opportunities(clean_state: None) -> AsyncIterator[None]:
    yield
    # Deleting opportunities cascades to sessions, sign-ups, surveys and answers; after that the
    # shared clean-up can empty organisations and fields in any order.
    await Opportunity.delete(force=True)
