"""Reading the audit log back in tests, and proving it holds nothing personal."""

from __future__ import annotations

from typing import Any

from boerse.audit.tables import AuditEntry

TEXT_COLUMNS = ("actor_label", "summary", "client_network", "target_type", "action", "actor_role")


async def entries(action: str | None = None) -> list[dict[str, Any]]:
    query = AuditEntry.select().order_by(AuditEntry.id)
    if action:
        query = query.where(AuditEntry.action == action)
    return await query


async def actions() -> list[str]:
    return [row["action"] for row in await entries()]


async def assert_nothing_personal(*secrets: str) -> None:
    """No entry contains any of `secrets` (residents' addresses, names, answers) in any
    column, nor anything that looks like an email address."""
    for row in await entries():
        for column in TEXT_COLUMNS:
            value = str(row[column])
            assert "@" not in value, (column, value)
            for secret in secrets:
                assert secret.lower() not in value.lower(), (column, value)
