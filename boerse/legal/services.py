"""Reading and saving the legal pages. Every query on the legal texts lives here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from markupsafe import Markup

from boerse.audit.actions import Action
from boerse.audit.services import record
from boerse.legal.defaults import default_text
from boerse.legal.labels import PUBLIC_ROUTES, SLUG_OF, TITLES
from boerse.legal.markdown import placeholders, render_markdown
from boerse.legal.tables import LegalPageKind, LegalText
from boerse.lib.db import utcnow, write_transaction
from boerse.settings import get_settings

MAX_BODY_LENGTH = 100_000


@dataclass(frozen=True)
class LegalPage:
    kind: LegalPageKind
    body: str
    """The Markdown as saved, or the shipped default while nobody has saved the page."""
    updated_at: dt.datetime | None
    """When an admin last saved it; None for the shipped default."""
    updated_by: str
    """Display name of whoever saved it last; "" for the default or a deleted account."""

    @property
    def title(self) -> str:
        return TITLES[self.kind]

    @property
    def slug(self) -> str:
        return SLUG_OF[self.kind]

    @property
    def public_route(self) -> str:
        return PUBLIC_ROUTES[self.kind]

    @property
    def is_default(self) -> bool:
        return self.updated_at is None

    @property
    def html(self) -> Markup:
        return render_markdown(self.body)

    @property
    def placeholders(self) -> list[str]:
        return placeholders(self.body)


def _page(kind: LegalPageKind, row: dict | None) -> LegalPage:
    if row is None:
        return LegalPage(kind, default_text(kind, get_settings()), None, "")
    return LegalPage(kind, row["body"], row["updated_at"], row["updated_by.display_name"] or "")


def _columns() -> tuple:
    return (
        LegalText.kind,
        LegalText.body,
        LegalText.updated_at,
        LegalText.updated_by.display_name,
    )


async def legal_page(kind: LegalPageKind) -> LegalPage:
    """One page as the public sees it (one query)."""
    row = await LegalText.select(*_columns()).where(LegalText.kind == kind.value).first()
    return _page(kind, row)


async def legal_pages() -> list[LegalPage]:
    """All pages in their fixed order, for the administration (one query)."""
    rows = {row["kind"]: row for row in await LegalText.select(*_columns())}
    return [_page(kind, rows.get(kind.value)) for kind in LegalPageKind]


async def save_legal_page(kind: LegalPageKind, body: str, user_id: int) -> None:
    """Replaces the page's text, noting who saved it and when; the audit log keeps each
    save (the page's name, not its text)."""
    async with write_transaction():
        await LegalText.insert(
            LegalText(kind=kind.value, body=body, updated_at=utcnow(), updated_by=user_id)
        ).on_conflict(
            target=LegalText.kind,
            action="DO UPDATE",
            values=[LegalText.body, LegalText.updated_at, LegalText.updated_by],
        )
        await record(Action.LEGAL_PAGE_EDITED, summary=TITLES[kind])
