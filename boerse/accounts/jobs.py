"""Worker jobs of the accounts domain: mail the links that anonymous forms ask for, and forget
expired login sessions and emailed tokens."""

from __future__ import annotations

import datetime as dt
from typing import Any

from arq.cron import cron
from arq.worker import func

from boerse.accounts import services
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


async def send_password_reset(ctx: dict[str, Any], email: str) -> None:
    """Looks the address up here rather than in the request, so that the form answers known
    and unknown addresses in the same time. The mail is in the account's language."""
    await services.send_password_reset(email)


async def send_verification_link(ctx: dict[str, Any], user_id: int, next_path: str) -> None:
    await services.send_verification_link(user_id, next_path)


async def complete_registration(
    ctx: dict[str, Any],
    email: str,
    display_name: str,
    password_hash: str,
    language: str,
    next_path: str,
) -> None:
    """Creates the account or mails the hint for a known address (see register_resident)."""
    await services.complete_registration(
        services.NewAccount(email, display_name, password_hash, language, next_path)
    )


# keep_result=0: the job's arguments (an email address) are not kept in Redis after the run.
FUNCTIONS = [
    purge_expired_credentials,
    func(send_password_reset, timeout=30, keep_result=0),
    func(send_verification_link, timeout=30, keep_result=0),
    # Arguments include the password's argon2 hash: nothing kept after the run, and the
    # log filter redacts argon2 hashes in arq's job lines.
    func(complete_registration, timeout=30, keep_result=0),
]
CRON_JOBS = [cron(purge_expired_credentials, minute={5}, second={0}, timeout=120)]
