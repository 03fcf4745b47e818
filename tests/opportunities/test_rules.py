"""Who may see and manage an opportunity: each condition of rules.py on its own."""

from __future__ import annotations

import pytest

from boerse.accounts.auth import CurrentUser
from boerse.opportunities import rules


def person(role: str = "resident", organisation_id: int | None = None) -> CurrentUser:
    return CurrentUser(
        id=1,
        email="a@example.org",
        display_name="A",
        role=role,
        organisation_id=organisation_id,
        email_verified=True,
    )


def offer(status: str, organisation_id: int = 7) -> dict:
    return {"status": status, "organisation_id": organisation_id}


@pytest.mark.parametrize(
    "user",
    [None, person(), person("officer", 8), person("officer", 7), person("admin")],
)
def test_published_offers_are_visible_to_everyone(user) -> None:
    assert rules.can_view(user, offer("published"))


@pytest.mark.parametrize("status", ["draft", "closed"])
def test_drafts_and_closed_offers_are_visible_only_to_their_organisation(status: str) -> None:
    assert not rules.can_view(None, offer(status))
    assert not rules.can_view(person(), offer(status))
    assert not rules.can_view(person("officer", 8), offer(status))
    assert rules.can_view(person("officer", 7), offer(status))
    assert rules.can_view(person("admin"), offer(status))


def test_a_resident_of_the_same_organisation_may_not_edit() -> None:
    """Membership alone is not enough: editing needs the officer role."""
    assert not rules.can_edit(person("resident", 7), offer("draft"))
    assert not rules.can_view(person("resident", 7), offer("draft"))


def test_only_own_organisation_or_admin_may_edit() -> None:
    assert rules.can_edit(person("officer", 7), offer("published"))
    assert not rules.can_edit(person("officer", 8), offer("published"))
    assert not rules.can_edit(None, offer("published"))
    assert rules.can_edit(person("admin", None), offer("published"))


def test_creating_needs_an_organisation_unless_admin() -> None:
    assert rules.can_create(person("officer", 7))
    assert not rules.can_create(person("officer", None))
    assert rules.can_create(person("admin", None))
    assert not rules.can_create(person())
    assert not rules.can_create(None)
