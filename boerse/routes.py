"""Every controller of every domain, registered in one list (as litestar-fullstack does)."""

from __future__ import annotations

from litestar.types import ControllerRouterHandler


def route_handlers() -> list[ControllerRouterHandler]:
    from boerse.outbox.routes import DevMailController
    from boerse.pages.routes import PagesController

    handlers: list[ControllerRouterHandler] = [PagesController, DevMailController]
    return handlers
