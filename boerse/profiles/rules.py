"""Who may do what with profiles. A profile is only ever shown and changed by its owner, which
the routes ensure by always acting on `request.user.id`; these are the finer rules."""

from __future__ import annotations

from boerse.accounts.auth import CurrentUser


def may_delete_own_account(user: CurrentUser) -> bool:
    """Administrators hold the town's keys: another administrator removes them, so the last
    one cannot lock everybody out by deleting themselves."""
    return not user.is_admin
