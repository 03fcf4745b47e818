"""Who may edit the legal pages: administrators only; the role is checked before the page."""

from __future__ import annotations

import pytest
from litestar.exceptions import NotFoundException, PermissionDeniedException

from boerse.accounts.auth import CurrentUser
from boerse.accounts.tables import Role
from boerse.legal.rules import access_legal_page_for_edit, may_edit_legal_pages
from boerse.legal.tables import LegalPageKind


def person(role: Role) -> CurrentUser:
    return CurrentUser(
        id=1,
        email="x@example.org",
        display_name="X",
        role=role.value,
        organisation_id=None,
        email_verified=True,
    )


def test_an_admin_gets_the_page_behind_its_german_path_segment() -> None:
    admin = person(Role.ADMIN)
    assert access_legal_page_for_edit(admin, "impressum") is LegalPageKind.IMPRINT
    assert access_legal_page_for_edit(admin, "datenschutz") is LegalPageKind.PRIVACY
    assert access_legal_page_for_edit(admin, "barrierefreiheit") is LegalPageKind.ACCESSIBILITY
    assert may_edit_legal_pages(admin)


def test_an_unknown_page_is_404_for_an_admin() -> None:
    with pytest.raises(NotFoundException):
        access_legal_page_for_edit(person(Role.ADMIN), "imprint")


@pytest.mark.parametrize("user", [None, person(Role.RESIDENT), person(Role.OFFICER)])
@pytest.mark.parametrize("slug", ["impressum", "gibt-es-nicht"])
def test_everyone_else_is_refused_whether_or_not_the_page_exists(user, slug) -> None:
    assert not may_edit_legal_pages(user)
    with pytest.raises(PermissionDeniedException):
        access_legal_page_for_edit(user, slug)
