"""Queries of the widget: the allowed websites, and the offers a widget shows.

The offers come from the public list's own search (`opportunities.search`), so a widget
never shows a draft or an offer the list would not show, and sorts as the list does."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from boerse.accounts.tables import Organisation
from boerse.audit.actions import Action
from boerse.audit.services import record
from boerse.lib.db import is_unique_violation, utcnow, write_transaction
from boerse.lib.headers import content_security_policy
from boerse.lib.i18n import gettext as _
from boerse.opportunities.search import SearchPage, search
from boerse.profiles.taxonomy import snapshot
from boerse.settings import get_settings
from boerse.widget.schemas import WidgetQuery, organisation_unknown
from boerse.widget.tables import EmbeddingHost

MAX_HOSTS = 50
"""Each allowed website is named in every widget response's header; a town needs a few."""


class HostError(ValueError):
    """An origin that cannot be added (already listed, list full); the message is German."""


@dataclass(frozen=True)
class Host:
    id: int
    origin: str
    added_at: dt.datetime


@dataclass(frozen=True)
class WidgetPage:
    """What a widget shows: its offers, or nothing when the filter names no organisation."""

    result: SearchPage | None
    organisation_name: str = ""


async def hosts() -> list[Host]:
    rows = await EmbeddingHost.select().order_by(EmbeddingHost.origin)
    return [Host(row["id"], row["origin"], row["added_at"]) for row in rows]


async def get_host(host_id: int) -> Host | None:
    row = await EmbeddingHost.select().where(EmbeddingHost.id == host_id).first()
    return Host(row["id"], row["origin"], row["added_at"]) if row else None


async def frame_policy() -> str:
    """The widget's Content-Security-Policy: the site's own (map tiles included, as every
    page's), with the allowed websites (and the site itself, for the snippet builder's
    preview) as `frame-ancestors`."""
    origins = await EmbeddingHost.select(EmbeddingHost.origin).order_by(EmbeddingHost.origin)
    ancestors = " ".join(["'self'", *(row["origin"] for row in origins)])
    return content_security_policy(ancestors, tile_origin=get_settings().map_tile_origin)


async def add_host(origin: str) -> int:
    """Stores a checked origin (`schemas.parse_origin`) with its audit entry."""
    async with write_transaction():
        taken = await EmbeddingHost.exists().where(EmbeddingHost.origin == origin)
        if taken:
            raise HostError(_("Diese Website steht schon in der Liste."))
        if await EmbeddingHost.count() >= MAX_HOSTS:
            raise HostError(
                _("Es können höchstens {n} Websites erlaubt werden.").format(n=MAX_HOSTS)
            )
        try:
            rows = await EmbeddingHost.insert(
                EmbeddingHost(origin=origin, added_at=utcnow())
            ).returning(EmbeddingHost.id)
        except Exception as error:
            if is_unique_violation(error):
                raise HostError(_("Diese Website steht schon in der Liste.")) from error
            raise
        await record(Action.EMBEDDING_HOST_ADDED, summary=origin)
    return rows[0]["id"]


async def remove_host(host: Host) -> None:
    async with write_transaction():
        await EmbeddingHost.delete().where(EmbeddingHost.id == host.id)
        await record(Action.EMBEDDING_HOST_REMOVED, summary=host.origin)


async def organisation_choices() -> list[tuple[int, str]]:
    """Every organisation, for the snippet builder (their offers are public anyway)."""
    rows = await Organisation.select(Organisation.id, Organisation.name).order_by(Organisation.name)
    return [(row["id"], row["name"]) for row in rows]


async def widget_page(query: WidgetQuery) -> WidgetPage:
    """The first `query.count` offers matching the filter, as the public list sorts them.
    An organisation that does not exist (deleted, or a typo in the snippet) becomes a
    message on the query rather than the whole town's offers."""
    name = ""
    if query.organisation is not None:
        row = (
            await Organisation.select(Organisation.name)
            .where(Organisation.id == query.organisation)
            .first()
        )
        if row is None:
            query.messages["organisation"] = organisation_unknown()
            return WidgetPage(None)
        name = row["name"]
    if not query.ok:
        return WidgetPage(None)
    filters = dataclasses.replace(query.filters, organisation_id=query.organisation)
    return WidgetPage(await search(filters, per_page=query.count), name)


@dataclass(frozen=True)
class BuilderChoices:
    organisations: list[tuple[int, str]]
    fields: list[tuple[str, str]]
    hosts: list[Host]


async def builder_choices(query: WidgetQuery) -> BuilderChoices:
    """The snippet builder's options and the allowed websites; an organisation that is not
    among the options becomes a message on the query."""
    organisations = await organisation_choices()
    if query.organisation is not None and query.organisation not in dict(organisations):
        query.messages["organisation"] = organisation_unknown()
    fields = snapshot().options("fields", [query.filters.field] if query.filters.field else [])
    return BuilderChoices(organisations, fields, await hosts())
