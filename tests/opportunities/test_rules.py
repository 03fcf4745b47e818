"""Who may see and manage an opportunity: each condition of rules.py on its own."""

from __future__ import annotations

import pytest
from litestar.exceptions import NotFoundException, PermissionDeniedException

from boerse.accounts.auth import CurrentUser
from boerse.opportunities import rules
from boerse.opportunities.tables import OpportunityStatus
from tests.support.factories import make_opportunity, make_organisation, make_session


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


# --- access functions: fetch the resource, then 404 (not visible) or 403 (not theirs) -------


async def test_access_opportunity_hides_foreign_drafts_and_refuses_managing_foreign_offers() -> (
    None
):
    own, other = await make_organisation(), await make_organisation()
    draft = await make_opportunity(other, status=OpportunityStatus.DRAFT)
    published = await make_opportunity(other)
    officer = person("officer", own.id)

    with pytest.raises(NotFoundException):
        await rules.access_opportunity(officer, draft.id)
    with pytest.raises(NotFoundException):
        await rules.access_opportunity(officer, 2_000_000)
    assert (await rules.access_opportunity(None, published.id))["id"] == published.id
    with pytest.raises(PermissionDeniedException):
        await rules.access_opportunity(officer, published.id, manage=True)
    managed = await rules.access_opportunity(person("officer", other.id), draft.id, manage=True)
    assert managed["id"] == draft.id


async def test_access_to_a_date_and_its_participants_is_for_its_organisation_only() -> None:
    own, other = await make_organisation(), await make_organisation()
    session = await make_session(await make_opportunity(other))

    for access in (rules.access_managed_session, rules.access_participant_list):
        with pytest.raises(NotFoundException):
            await access(person("officer", other.id), 2_000_000)
        with pytest.raises(PermissionDeniedException):
            await access(person("officer", own.id), session.id)
        with pytest.raises(PermissionDeniedException):
            await access(person(), session.id)
        assert await access(person("officer", other.id), session.id)
        assert await access(person("admin"), session.id)
