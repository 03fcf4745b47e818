"""The admin page "Protokoll": staff actions, newest first, filtered by person, action and period."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from litestar import Controller, Request, get
from litestar.params import QueryParameter
from litestar.response import Template

from boerse.accounts.guards import requires_admin
from boerse.audit import rules, schemas, services
from boerse.audit.actions import ACTION_LABELS, ROLE_LABELS, TARGET_LABELS
from boerse.lib.i18n import gettext as _
from boerse.settings import get_settings


class AuditLogController(Controller):
    path = "/admin/protokoll"
    guards = [requires_admin]  # noqa: RUF012 - Litestar reads this class attribute

    @get("/", name="audit:log")
    async def log(
        self, request: Request, page: Annotated[int, QueryParameter(name="seite")] = 1
    ) -> Template:
        rules.access_audit_log(request.user)
        form, selected = schemas.parse_filter(request.query_params)
        listing = await services.list_entries(selected, page)
        kept = {name: form.values[name] for name in schemas.FILTER_NAMES if form.values[name]}
        return Template(
            template_name="audit/log.html",
            context={
                "form": form,
                "listing": listing,
                "action_options": sorted(
                    ((code, _(label)) for code, label in ACTION_LABELS.items()),
                    key=lambda option: option[1].lower(),
                ),
                "action_labels": ACTION_LABELS,
                "target_labels": TARGET_LABELS,
                "role_labels": ROLE_LABELS,
                "filter_query": urlencode(kept),
                "retention_days": get_settings().audit_retention_days,
            },
            status_code=200 if form.ok else 400,
        )


CONTROLLERS = [AuditLogController]
