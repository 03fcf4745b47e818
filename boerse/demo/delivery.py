"""The demo town's mail history, so the admin page "Versand" shows what it is for on the
first start: confirmations of the latest sign-ups delivered over the last day, one mail
the recipient's server refused for good (to try again with the button) and one waiting
for its next try after a temporary refusal."""

from __future__ import annotations

import datetime as dt

from boerse.lib.db import write_transaction
from boerse.opportunities.signups import queue_signup_email, session_details
from boerse.opportunities.tables import SignUp, SignUpStatus
from boerse.outbox import policy
from boerse.outbox.tables import OutboxEmail, OutboxStatus

HISTORY_SIZE = 12


async def delivery_history(now: dt.datetime) -> None:
    latest = (
        await SignUp.select(
            SignUp.id,
            SignUp.session,
            SignUp.user.email.as_alias("email"),
            SignUp.user.display_name.as_alias("name"),
            SignUp.user.language.as_alias("language"),
        )
        .where(SignUp.status == SignUpStatus.CONFIRMED.value)
        .order_by(SignUp.created_at, ascending=False)
        .limit(HISTORY_SIZE)
    )
    async with write_transaction():
        for hours_ago, sign_up in enumerate(latest, start=1):
            row = await session_details(sign_up["session"])
            queued_at = now - dt.timedelta(hours=hours_ago * 2 - 1)
            queued = await queue_signup_email(
                "signup_confirmed", sign_up["id"], sign_up, row, queued_at
            )
            await OutboxEmail.update(_outcome(hours_ago, queued_at, now)).where(
                OutboxEmail.id == queued.id
            )


def _outcome(number: int, queued_at: dt.datetime, now: dt.datetime) -> dict:
    base = {OutboxEmail.created_at: queued_at, OutboxEmail.attempts: 1}
    if number == 2:
        return base | {
            OutboxEmail.status: OutboxStatus.FAILED.value,
            OutboxEmail.last_error: "recipient refused (550)",
            OutboxEmail.failed_at: queued_at + dt.timedelta(seconds=20),
        }
    if number == 1:
        return base | {
            OutboxEmail.attempts: 3,
            OutboxEmail.last_error: "SMTPRecipientsRefused",
            OutboxEmail.next_attempt_at: now + policy.pause_after(3),
        }
    return base | {
        OutboxEmail.status: OutboxStatus.SENT.value,
        OutboxEmail.sent_at: queued_at + dt.timedelta(seconds=20),
    }
