"""Guest jobs: the nightly clean-up of sign-up requests whose link can no longer work."""

from __future__ import annotations

from typing import Any

from arq import cron, func

from boerse.guests import services


async def delete_stale_guest_requests(ctx: dict[str, Any]) -> int:
    """Addresses typed into the guest form are kept only as long as their link can work
    (48 hours) or a day after it was used; safe to run any number of times."""
    return await services.delete_stale_requests()


FUNCTIONS = [func(delete_stale_guest_requests, timeout=60)]
CRON_JOBS = [cron(delete_stale_guest_requests, hour={3}, minute={40}, second={0}, timeout=60)]
