"""The demo town's legal pages: every placeholder filled with Lindenau's details."""

from __future__ import annotations

from boerse.accounts.tables import Role
from boerse.demo.legal import DETAILS, legal_texts
from boerse.demo.loader import load_demo
from boerse.legal.defaults import default_text
from boerse.legal.markdown import placeholders
from boerse.legal.services import legal_page, legal_pages, save_legal_page
from boerse.legal.tables import LegalPageKind
from boerse.settings import get_settings
from tests.support.factories import make_user


def test_the_demo_has_an_entry_for_every_placeholder_of_the_shipped_texts() -> None:
    shipped = {
        p for kind in LegalPageKind for p in placeholders(default_text(kind, get_settings()))
    }
    assert shipped - set(DETAILS) == set()


async def test_the_demo_town_fills_every_placeholder() -> None:
    await load_demo()
    pages = await legal_pages()
    for page in pages:
        assert page.placeholders == [], page.kind
        assert page.updated_by == "Birgit Sommer"
    imprint, privacy, _ = pages
    assert "**Stadt Lindenau**\nMarktplatz 1\n04177 Lindenau" in imprint.body
    assert "Sächsische Datenschutz- und Transparenzbeauftragte" in privacy.body


async def test_a_page_the_town_saved_itself_is_never_overwritten() -> None:
    admin = await make_user(role=Role.ADMIN)
    await save_legal_page(LegalPageKind.IMPRINT, "Unser eigenes Impressum", admin.id)
    await legal_texts("Lindenau", admin.id)
    assert (await legal_page(LegalPageKind.IMPRINT)).body == "Unser eigenes Impressum"
    assert (await legal_page(LegalPageKind.PRIVACY)).placeholders == []
