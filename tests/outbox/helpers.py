"""Queueing test mails for the outbox tests."""

from __future__ import annotations

from boerse.lib.db import write_transaction
from boerse.outbox import services

CONTEXT = {"headline": "Hallo", "url": "http://127.0.0.1:8000/x"}


async def queue_test_email(key: str = "test:1", recipient: str = "anna@example.org") -> int:
    async with write_transaction():
        queued = await services.queue_email(
            key, recipient, "Grüße aus der Börse", "test_mail", CONTEXT
        )
    return queued.id


async def queue_many(count: int, prefix: str = "bulk") -> int:
    async with write_transaction():
        return await services.queue_emails(
            [
                services.NewEmail(
                    f"{prefix}:{n}", f"p{n}@example.org", f"Mail {n}", "test_mail", CONTEXT
                )
                for n in range(count)
            ]
        )
