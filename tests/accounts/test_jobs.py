"""The clean-up job forgets sessions and links that can no longer be used, and only those."""

from __future__ import annotations

import datetime as dt

from boerse.accounts.jobs import purge_expired_credentials
from boerse.accounts.sessions import start_session
from boerse.accounts.tables import EmailToken, LoginSession, TokenPurpose
from boerse.lib.db import utcnow
from boerse.lib.queue import enqueue
from tests.support.factories import make_user
from tests.support.fixtures import run_worker


async def test_expired_sessions_and_tokens_are_purged_by_the_worker() -> None:
    user = await make_user()
    await start_session(user.id)
    await start_session(user.id)
    stale = await LoginSession.select(LoginSession.id).first()
    await LoginSession.update({LoginSession.last_seen_at: utcnow() - dt.timedelta(days=1)}).where(
        LoginSession.id == stale["id"]
    )
    for hash_, expires_in in (("a" * 64, -1), ("b" * 64, 1)):
        await EmailToken.insert(
            EmailToken(
                token_hash=hash_,
                user=user.id,
                purpose=TokenPurpose.RESET_PASSWORD.value,
                expires_at=utcnow() + dt.timedelta(hours=expires_in),
            )
        )

    assert await enqueue("purge_expired_credentials")
    assert await run_worker() == 1

    assert await LoginSession.count() == 1
    assert [row["token_hash"] for row in await EmailToken.select(EmailToken.token_hash)] == [
        "b" * 64
    ]


async def test_nothing_to_purge_is_fine() -> None:
    assert await purge_expired_credentials({}) == 0
