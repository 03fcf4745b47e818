"""Sign-ups, capacity and the waitlist (stub: the interface other modules may call)."""

from __future__ import annotations


async def signup_states(user_id: int | None, session_ids: list[int]) -> dict[int, str]:
    """The current user's sign-up status per session (registered, confirmed, waitlisted),
    in one query; sessions without a live sign-up are absent."""
    return {}
