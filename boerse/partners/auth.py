"""Authentication of partner API calls: `Authorization: Bearer <key>`, and nothing else.

Cookies play no part here, so a browser session (and a page that tricks a browser into
posting) can never use the partner API; that is also why CSRF does not apply to these
routes. An unknown, malformed, revoked or expired key is 401 with the same answer for all,
so the answer does not tell which keys exist. Each key has its own request budget per
minute, counted in Redis (fail open, as the login limits)."""

from __future__ import annotations

import datetime as dt

from litestar import Request
from litestar.exceptions import NotAuthorizedException, TooManyRequestsException
from litestar.openapi.spec import SecurityScheme

from boerse.accounts.ratelimit import count_attempt, limit_key
from boerse.audit.context import Actor, client_network
from boerse.lib.db import utcnow
from boerse.lib.i18n import gettext as _
from boerse.partners import services
from boerse.partners.keys import bearer_key, secret_matches, split_key
from boerse.partners.rules import Partner

RATE_WINDOW = dt.timedelta(minutes=1)
SECURITY_SCHEME = "partnerKey"
"""The name of the key's security scheme in the OpenAPI description."""
SECURITY_SCHEMES = {
    SECURITY_SCHEME: SecurityScheme(
        type="http",
        scheme="bearer",
        description="A partner's API key (`mbp_…`), issued by the town's administrators.",
    )
}
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="partner-api"'}


def _refuse() -> NotAuthorizedException:
    return NotAuthorizedException(
        _("Bitte senden Sie einen gültigen API-Schlüssel als „Authorization: Bearer …“."),
        headers=CHALLENGE,
    )


async def authenticate(authorization: str | None, now: dt.datetime | None = None) -> Partner:
    now = now or utcnow()
    presented = split_key(bearer_key(authorization) or "")
    if presented is None:
        raise _refuse()
    stored = await services.stored_key(presented.prefix)
    if stored is None or not secret_matches(presented.secret, stored.secret_hash):
        raise _refuse()
    if stored.revoked_at is not None or (
        stored.expires_at is not None and stored.expires_at <= now
    ):
        raise _refuse()
    await _within_budget(stored.id, stored.requests_per_minute)
    await services.note_use(stored, now)
    return Partner(
        key_id=stored.id,
        prefix=stored.prefix,
        partner_name=stored.partner_name,
        organisation_id=stored.organisation_id,
        scope=stored.scope,
    )


async def _within_budget(key_id: int, per_minute: int) -> None:
    used = await count_attempt(limit_key("partner_api", "key", str(key_id)), RATE_WINDOW)
    if used > per_minute:
        raise TooManyRequestsException(
            _("Zu viele Anfragen mit diesem Schlüssel; bitte warten Sie eine Minute."),
            headers={"Retry-After": str(int(RATE_WINDOW.total_seconds()))},
        )


async def partner_of(request: Request) -> Partner:
    """The dependency every partner route takes (`partner: Partner`)."""
    return await authenticate(request.headers.get("authorization"))


def actor_of(partner: Partner, request: Request) -> Actor:
    """The audit log's actor for what a partner does: no account, the key's name and prefix."""
    client = request.client.host if request.client else None
    return Actor(
        user_id=None,
        role="partner",
        label=f"{partner.partner_name} ({partner.prefix})"[:100],
        network=client_network(client),
    )
