"""Who may see the outbox: administrators see a mail's summary (and retry it); the
development mailbox, which shows whole mails with their links, only a developer at the
machine itself."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping

from litestar.exceptions import NotFoundException, PermissionDeniedException

from boerse.accounts.auth import CurrentUser
from boerse.outbox.monitoring import EmailSummary, email_summary
from boerse.settings import Settings

# Headers a proxy adds: a request that carries one did not come straight from this machine.
FORWARDING_HEADERS = ("forwarded", "x-forwarded-for", "x-real-ip")


async def access_outbox_email(user: CurrentUser | None, email_id: int) -> EmailSummary:
    """The summary of mail `email_id` for an administrator. The role is checked before the
    row is looked up, so nobody else can even learn whether a mail exists."""
    if user is None or not user.is_admin:
        raise PermissionDeniedException()
    email = await email_summary(email_id)
    if email is None:
        raise NotFoundException()
    return email


def may_read_dev_mailbox(settings: Settings, client_host: str, headers: Mapping[str, str]) -> bool:
    """The mailbox lists valid password-reset and survey links of every account: it is for
    a developer at the machine only. Development mode must be switched on (`BOERSE_DEV`,
    never with PostgreSQL), the connection must come from a loopback address, and a
    request that passed a proxy is refused whatever address the proxy claims for it."""
    if not settings.dev_mode or any(name in headers for name in FORWARDING_HEADERS):
        return False
    try:
        return ipaddress.ip_address(client_host).is_loopback
    except ValueError:
        return False


def access_dev_mailbox(settings: Settings, client_host: str, headers: Mapping[str, str]) -> None:
    """Raises 404 (the page does not exist for anyone else)."""
    if not may_read_dev_mailbox(settings, client_host, headers):
        raise NotFoundException()
