"""Who may do what with accounts, beyond the route guards (which only check the role)."""

from __future__ import annotations

from boerse.accounts.auth import CurrentUser


def may_change_active_state(actor: CurrentUser, target_user_id: int) -> bool:
    """Admins may (de)activate any account but their own: locking oneself out by accident
    would leave a town without anyone able to undo it."""
    return actor.is_admin and actor.id != target_user_id


def needs_verification(user: CurrentUser | None) -> bool:
    """Unverified residents may use the site, but are reminded to confirm their address."""
    return user is not None and not user.email_verified


def may_reset_second_factor(actor: CurrentUser, target_user_id: int) -> bool:
    """Admins reset the second factor of staff who lost their phone; their own they switch
    off themselves (with password and code), so a stolen admin session cannot."""
    return actor.is_admin and actor.id != target_user_id
