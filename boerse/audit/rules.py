"""Who may read the audit log: administrators only. Officers act in it; they do not review
each other (nor themselves), and residents never appear as actors."""

from __future__ import annotations

from litestar.exceptions import NotAuthorizedException, PermissionDeniedException

from boerse.accounts.auth import CurrentUser


def access_audit_log(user: CurrentUser | None) -> CurrentUser:
    """The administrator, or 401 (not logged in) / 403 (anyone else)."""
    if user is None:
        raise NotAuthorizedException()
    if not user.is_admin:
        raise PermissionDeniedException()
    return user
