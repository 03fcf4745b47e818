"""Worker jobs of the accounts domain: forget expired login sessions and emailed tokens."""

from __future__ import annotations

import datetime as dt
from typing import Any

from arq.cron import cron

from boerse.accounts.tables import EmailToken, LoginSession
from boerse.lib.db import utcnow
from boerse.settings import get_settings


async def purge_expired_credentials(ctx: dict[str, Any]) -> int:
    """Data minimisation: a session or link nobody can use any more is not kept."""
    settings = get_settings()
    now = utcnow()
    sessions = (
        await LoginSession.delete()
        .where(
            (LoginSession.last_seen_at < now - dt.timedelta(minutes=settings.session_idle_minutes))
            | (LoginSession.created_at < now - dt.timedelta(days=settings.session_max_days))
        )
        .returning(LoginSession.id)
    )
    tokens = await EmailToken.delete().where(EmailToken.expires_at < now).returning(EmailToken.id)
    return len(sessions) + len(tokens)


FUNCTIONS = [purge_expired_credentials]
CRON_JOBS = [cron(purge_expired_credentials, minute={5}, second={0}, timeout=120)]
