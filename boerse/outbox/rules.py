"""Who may see and retry a mail of the outbox: administrators only, and only its summary."""

from __future__ import annotations

from litestar.exceptions import NotFoundException, PermissionDeniedException

from boerse.accounts.auth import CurrentUser
from boerse.outbox.monitoring import EmailSummary, email_summary


async def access_outbox_email(user: CurrentUser | None, email_id: int) -> EmailSummary:
    """The summary of mail `email_id` for an administrator. The role is checked before the
    row is looked up, so nobody else can even learn whether a mail exists."""
    if user is None or not user.is_admin:
        raise PermissionDeniedException()
    email = await email_summary(email_id)
    if email is None:
        raise NotFoundException()
    return email
