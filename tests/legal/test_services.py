"""Reading and saving the legal texts: defaults until saved, one row per page, who and when."""

from __future__ import annotations

import datetime as dt

from boerse.accounts.tables import Role, User
from boerse.legal.services import legal_page, legal_pages, save_legal_page
from boerse.legal.tables import LegalPageKind, LegalText
from boerse.lib.db import utcnow
from tests.support.factories import make_user


async def test_a_page_nobody_saved_is_the_shipped_default() -> None:
    page = await legal_page(LegalPageKind.PRIVACY)
    assert page.is_default and page.updated_at is None and page.updated_by == ""
    assert "Art. 13 der Datenschutz-Grundverordnung" in page.body
    assert "[Name der Stadtverwaltung]" in page.placeholders
    assert await LegalText.count() == 0  # reading writes nothing


async def test_saving_twice_keeps_one_row_with_the_last_text_and_author() -> None:
    first = await make_user(role=Role.ADMIN, display_name="Birgit Sommer")
    second = await make_user(role=Role.ADMIN, display_name="Jan Berger")
    before = utcnow()
    await save_legal_page(LegalPageKind.IMPRINT, "Erste Fassung", first.id)
    await save_legal_page(LegalPageKind.IMPRINT, "Zweite Fassung", second.id)

    page = await legal_page(LegalPageKind.IMPRINT)
    assert page.body == "Zweite Fassung" and page.updated_by == "Jan Berger"
    assert page.updated_at is not None and before <= page.updated_at <= utcnow()
    assert not page.is_default
    assert await LegalText.count() == 1


async def test_the_overview_lists_all_pages_in_order_with_one_query(count_queries) -> None:
    admin = await make_user(role=Role.ADMIN)
    await save_legal_page(LegalPageKind.ACCESSIBILITY, "Eigene Erklärung", admin.id)
    with count_queries() as counted:
        pages = await legal_pages()
    assert counted.count == 1
    assert [page.kind for page in pages] == list(LegalPageKind)
    assert [page.is_default for page in pages] == [True, True, False]


async def test_the_text_outlives_the_account_that_saved_it() -> None:
    admin = await make_user(role=Role.ADMIN, display_name="Birgit Sommer")
    await save_legal_page(LegalPageKind.IMPRINT, "Stadt Lindenau", admin.id)
    await User.delete().where(User.id == admin.id)

    page = await legal_page(LegalPageKind.IMPRINT)
    assert page.body == "Stadt Lindenau" and page.updated_by == ""
    assert isinstance(page.updated_at, dt.datetime)
