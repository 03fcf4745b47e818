"""`GET /healthz` for load balancers and monitoring: JSON, no session, never a 500."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Response, get

from boerse.operations import services


def _word(ok: bool) -> str:
    return "ok" if ok else "error"


class HealthController(Controller):
    path = "/healthz"

    # No session lookup (it would query the database the check is about) and no CSRF cookie.
    @get(
        "/",
        name="operations:healthz",
        opt={"exclude_from_auth": True, "exclude_from_csrf": True},
        include_in_schema=False,
    )
    async def healthz(self) -> Response[dict[str, Any]]:
        report = await services.health()
        body = {
            "database": _word(report.database_ok),
            "redis": _word(report.redis_ok),
            "worker_last_seen_s": report.worker_seen_seconds_ago,
        }
        status = 200 if report.ok else 503
        return Response(body, status_code=status, headers={"Cache-Control": "no-store"})


CONTROLLERS = [HealthController]
