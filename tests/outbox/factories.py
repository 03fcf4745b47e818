"""Outbox rows in any state, for the monitoring and admin page tests."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from boerse.lib.db import utcnow
from boerse.outbox.tables import OutboxEmail

SECRET_SUBJECT = "Vertraulicher Betreff"
SECRET_BODY = "Vertraulicher Inhalt"
_counter = itertools.count(1)


async def make_email(
    status: str = "pending",
    recipient: str | None = None,
    kind: str = "reminder",
    age: dt.timedelta = dt.timedelta(minutes=5),
    **fields: Any,
) -> OutboxEmail:
    """A row created `age` ago and due since then, unless `fields` say otherwise."""
    number = next(_counter)
    created = utcnow() - age
    row = OutboxEmail(
        dedupe_key=f"{kind}:{number}",
        recipient=recipient or f"person{number}@example.org",
        subject=SECRET_SUBJECT,
        body_text=SECRET_BODY,
        status=status,
        created_at=created,
        next_attempt_at=fields.pop("next_attempt_at", created),
        message_id=f"<{number}@test>",
        **fields,
    )
    await row.save()
    return row
