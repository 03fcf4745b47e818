"""Who may do what with the legal pages: everyone reads them, only administrators edit."""

from __future__ import annotations

from litestar.exceptions import NotFoundException, PermissionDeniedException

from boerse.accounts.auth import CurrentUser
from boerse.legal.labels import SLUGS
from boerse.legal.tables import LegalPageKind


def may_edit_legal_pages(user: CurrentUser | None) -> bool:
    return user is not None and user.is_admin


def access_legal_page_for_edit(user: CurrentUser | None, slug: str) -> LegalPageKind:
    """The page behind `slug` for an administrator: 403 for anyone else (checked first, so
    nobody else learns which pages exist), 404 for a slug that names no page."""
    if not may_edit_legal_pages(user):
        raise PermissionDeniedException()
    kind = SLUGS.get(slug)
    if kind is None:
        raise NotFoundException()
    return kind
