"""The officer's pages for recurring dates: create a series on the dates page, change
a date and all following ones (or the whole series), and cancel one date, the following
ones or the whole series, telling everyone signed up.

Handlers stay thin: access through `rules`, parsing and every query in `series`."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from boerse.accounts.guards import requires_officer
from boerse.lib.db import utcnow
from boerse.lib.flash import flash, register
from boerse.lib.forms import Form
from boerse.lib.i18n import N_
from boerse.lib.i18n import gettext as _
from boerse.lib.routing import see_other
from boerse.opportunities import rules, series, services

SERIES_CREATED = register("series_created", N_("Die Terminserie wurde angelegt."))
SERIES_CHANGED = register(
    "series_changed",
    N_("Die Termine wurden geändert. Wer angemeldet ist, bekommt eine E-Mail."),
)
DATES_CANCELLED = register(
    "dates_cancelled",
    N_("Abgesagt. Wer angemeldet war, bekommt eine E-Mail."),
    "info",
)
SERIES_PAST = register(
    "series_past",
    N_("Dieser Termin hat schon begonnen; vergangene Termine bleiben, wie sie waren."),
    "warning",
)

SCOPE_LABELS = {
    series.Scope.ONE.value: N_("Nur dieser Termin"),
    series.Scope.FOLLOWING.value: N_("Dieser und alle folgenden Termine der Serie"),
    series.Scope.SERIES.value: N_("Alle kommenden Termine der Serie"),
}


def sessions_page(
    opportunity: dict[str, Any],
    sessions: list[dict[str, Any]],
    series_form: Form,
    status_code: int = 200,
) -> Template:
    """The dates page with the series form as typed (the single-date form starts empty)."""
    context = {
        "opportunity": opportunity,
        "sessions": sessions,
        "form": Form(values={"capacity": "10"}),
        "series_form": series_form,
        "error": "",
    }
    return Template(
        template_name="opportunities/sessions.html", context=context, status_code=status_code
    )


async def _future_date(
    request: Request, opportunity_id: int, session_id: int
) -> tuple[dict[str, Any], dict[str, Any]] | Redirect:
    """The officer's offer and its date (403/404 as `rules` and `services` decide); a way
    back to the dates page with a notice when the date has begun (nothing to change)."""
    opportunity = await rules.access_opportunity(request.user, opportunity_id, manage=True)
    session = await services.get_session(opportunity_id, session_id)
    if session is None:
        raise NotFoundException()
    if session["is_past"]:
        return _to_dates(request, opportunity_id, SERIES_PAST)
    return opportunity, session


def _to_dates(request: Request, opportunity_id: int, notice: str) -> Redirect:
    return flash(
        see_other(request, "opportunities:sessions", opportunity_id=opportunity_id), notice
    )


async def _unless_refused(form: Form, change: Awaitable[object]) -> None:
    """Make the change; a refusal found only while writing becomes its field's error."""
    try:
        await change
    except series.SeriesRefusedError as refused:
        form.errors[refused.field] = refused.message


def _choice_options(choices: list[series.ScopeChoice]) -> list[tuple[str, str]]:
    options = []
    for choice in choices:
        label = _(SCOPE_LABELS[choice.scope])
        detail = _("Termine: {dates}, angemeldete Personen: {people}").format(
            dates=choice.dates, people=choice.people
        )
        options.append((choice.scope, f"{label} ({detail})"))
    return options


class SeriesController(Controller):
    path = "/verwaltung/angebote"
    guards = [requires_officer]  # noqa: RUF012 - Litestar reads this class attribute

    @post("/{opportunity_id:int}/serien", name="series:create")
    async def create(self, request: Request, opportunity_id: FromPath[int]) -> Template | Redirect:
        opportunity = await rules.access_opportunity(request.user, opportunity_id, manage=True)
        form = await Form.from_request(request)
        data = series.parse_series(form, utcnow())
        if data is None:
            sessions = await services.sessions_of(opportunity_id)
            return sessions_page(opportunity, sessions, form, status_code=400)
        await series.create_series(opportunity_id, data)
        return _to_dates(request, opportunity_id, SERIES_CREATED)

    @get("/{opportunity_id:int}/termine/{session_id:int}/serie", name="series:edit")
    async def edit(
        self, request: Request, opportunity_id: FromPath[int], session_id: FromPath[int]
    ) -> Template | Redirect:
        found = await _future_date(request, opportunity_id, session_id)
        if isinstance(found, Redirect):
            return found
        opportunity, session = found
        form = Form(values=series.change_form_values(session))
        return await _change_page(opportunity, session, form)

    @post("/{opportunity_id:int}/termine/{session_id:int}/serie", name="series:update")
    async def update(
        self, request: Request, opportunity_id: FromPath[int], session_id: FromPath[int]
    ) -> Template | Redirect:
        found = await _future_date(request, opportunity_id, session_id)
        if isinstance(found, Redirect):
            return found
        opportunity, session = found
        form = await Form.from_request(request)
        many = [scope for scope in _scopes(session) if scope != series.Scope.ONE.value]
        scope = series.parse_scope(form, many)
        change = series.parse_change(form)
        if scope is not None and change is not None:
            await _unless_refused(form, series.change_dates(opportunity_id, session, scope, change))
        if not form.ok:
            return await _change_page(opportunity, session, form, status_code=400)
        return _to_dates(request, opportunity_id, SERIES_CHANGED)

    @get("/{opportunity_id:int}/termine/{session_id:int}/absagen", name="series:cancel_form")
    async def cancel_form(
        self, request: Request, opportunity_id: FromPath[int], session_id: FromPath[int]
    ) -> Template | Redirect:
        found = await _future_date(request, opportunity_id, session_id)
        if isinstance(found, Redirect):
            return found
        opportunity, session = found
        form = Form(values={"scope": series.Scope.ONE.value})
        return await _cancel_page(opportunity, session, form)

    @post("/{opportunity_id:int}/termine/{session_id:int}/absagen", name="series:cancel")
    async def cancel(
        self, request: Request, opportunity_id: FromPath[int], session_id: FromPath[int]
    ) -> Template | Redirect:
        found = await _future_date(request, opportunity_id, session_id)
        if isinstance(found, Redirect):
            return found
        opportunity, session = found
        form = await Form.from_request(request)
        scope = series.parse_scope(form, _scopes(session))
        if scope is not None:
            await _unless_refused(form, series.cancel_in_scope(opportunity_id, session, scope))
        if not form.ok:
            return await _cancel_page(opportunity, session, form, status_code=400)
        return _to_dates(request, opportunity_id, DATES_CANCELLED)


def _scopes(session: dict[str, Any]) -> list[str]:
    if session.get("series") is None:
        return [series.Scope.ONE.value]
    return [scope.value for scope in series.Scope]


async def _change_page(
    opportunity: dict[str, Any], session: dict[str, Any], form: Form, status_code: int = 200
) -> Template:
    """Changing many dates: only for a date in a series (one date has its own form)."""
    if session.get("series") is None:
        raise NotFoundException()
    choices = await series.scope_choices(session, utcnow())
    context = {
        "opportunity": opportunity,
        "session": session,
        "form": form,
        "scope_options": [o for o in _choice_options(choices) if o[0] != series.Scope.ONE.value],
    }
    return Template(
        template_name="opportunities/series_edit.html", context=context, status_code=status_code
    )


async def _cancel_page(
    opportunity: dict[str, Any], session: dict[str, Any], form: Form, status_code: int = 200
) -> Template:
    choices = await series.scope_choices(session, utcnow())
    context = {
        "opportunity": opportunity,
        "session": session,
        "form": form,
        "scope_options": _choice_options(choices),
        "people": choices[0].people,
    }
    return Template(
        template_name="opportunities/series_cancel.html", context=context, status_code=status_code
    )


CONTROLLERS = [SeriesController]
