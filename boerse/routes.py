"""Every controller of every domain, registered in one list (as litestar-fullstack does).

Each domain's routes module exports CONTROLLERS; the order here is the order of matching."""

from __future__ import annotations

import importlib

from litestar.types import ControllerRouterHandler

ROUTE_MODULES = (
    "boerse.pages.routes",
    "boerse.accounts.routes",
    "boerse.accounts.two_factor_routes",
    "boerse.accounts.language_routes",
    "boerse.accounts.settings_routes",
    "boerse.accounts.admin_routes",
    "boerse.organisations.routes",
    "boerse.feeds.routes",
    "boerse.profiles.routes",
    "boerse.opportunities.routes",
    "boerse.opportunities.signup_routes",
    "boerse.guests.routes",
    "boerse.opportunities.series_routes",
    "boerse.checkin.routes",
    "boerse.matching.routes",
    "boerse.questionnaires.routes",
    "boerse.questionnaires.results_routes",
    "boerse.assessments.routes",
    "boerse.goals.routes",
    "boerse.replies.routes",
    "boerse.inventory.routes",
    "boerse.inventory.potential_routes",
    "boerse.surveys.routes",
    "boerse.dashboards.routes",
    "boerse.dashboards.town_routes",
    "boerse.dashboards.transparency_routes",
    "boerse.api.docs_routes",
    "boerse.outbox.routes",
    "boerse.outbox.admin_routes",
    "boerse.audit.routes",
    "boerse.operations.routes",
    "boerse.legal.routes",
    "boerse.requirements.routes",
    "boerse.engagement.routes",
    "boerse.messages.routes",
    "boerse.partners.routes",
    "boerse.widget.routes",
)


def route_handlers() -> list[ControllerRouterHandler]:
    handlers: list[ControllerRouterHandler] = []
    for name in ROUTE_MODULES:
        handlers.extend(importlib.import_module(name).CONTROLLERS)
    return handlers
