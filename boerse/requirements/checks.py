"""The check every sign-up passes: does the person meet the opportunity's requirements?"""

from __future__ import annotations

from typing import Any


async def check_requirements(user_id: int, row: dict[str, Any]) -> None:
    """Raise `SignUpRefusedError` with a reason key when `user_id` does not meet the
    requirements of the opportunity of session `row` (see `signups.session_details`).
    Runs inside the sign-up's transaction."""
    return None
