"""Opportunities on the web: the start page, the public list and detail page, and the
officers' pages to create, edit, publish and close offers and manage their sessions."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from boerse.accounts.guards import requires_officer
from boerse.feeds.structured import detail_meta
from boerse.goals.services import goals_of_opportunity, link_choices
from boerse.lib.db import utcnow
from boerse.lib.flash import flash, register
from boerse.lib.forms import Form
from boerse.lib.i18n import N_
from boerse.lib.i18n import gettext as _
from boerse.lib.routing import see_other
from boerse.matching.routes import home_recommendations
from boerse.opportunities import rules, schemas, services
from boerse.opportunities.labels import (
    MODE_EXPLANATIONS,
    MODE_LABELS,
    SORT_LABELS,
    STATUS_BADGES,
    STATUS_LABELS,
)
from boerse.opportunities.search import search, upcoming, with_own_needs
from boerse.opportunities.signups import signup_states
from boerse.profiles.accessibility import ACCESSIBILITY
from boerse.profiles.services import has_profile
from boerse.profiles.taxonomy import current as current_taxonomy
from boerse.profiles.taxonomy import snapshot
from boerse.requirements.views import for_detail_page as requirements_for_detail

CREATED = register("opportunity_created", N_("Das Angebot wurde als Entwurf angelegt."))
PUBLISHED = register("opportunity_published", N_("Das Angebot ist jetzt öffentlich sichtbar."))
CLOSED = register("opportunity_closed", N_("Das Angebot ist geschlossen."), "info")
DUPLICATED = register(
    "opportunity_duplicated",
    N_("Die Kopie wurde als Entwurf angelegt. Passen Sie die Angaben an und legen Sie Termine an."),
)
REOPENED_PUBLISHED = register(
    "opportunity_reopened_published", N_("Das Angebot ist wieder geöffnet und öffentlich sichtbar.")
)
REOPENED_DRAFT = register(
    "opportunity_reopened_draft",
    N_(
        "Das Angebot ist wieder geöffnet, als Entwurf: Es hat keinen kommenden Termin. "
        "Legen Sie Termine an und veröffentlichen Sie es dann."
    ),
    "info",
)
SESSION_ADDED = register("session_added", N_("Der Termin wurde angelegt."))
SESSION_SAVED = register("session_saved", N_("Der Termin wurde gespeichert."))
SESSION_DELETED = register("session_deleted", N_("Der Termin wurde gelöscht."), "info")


# Form fields and filters whose ticked values a form offers even when retired.
_KEPT_FIELDS = {
    "fields": ("field",),
    "skills": ("required_skills", "desired_skills", "skill"),
    "languages": ("languages", "language"),
}


def _labels(keep: Form | None = None) -> dict[str, Any]:
    """Translated option lists and labels every opportunity template may use. The
    taxonomies come from the process's last reading (`taxonomy.current()`, which the
    handlers that show or check them await first); a retired entry is offered only when
    `keep` (the form shown) has it ticked."""
    taxonomy = snapshot()

    def options(kind: str) -> list[tuple[str, str]]:
        kept = [value for name in _KEPT_FIELDS[kind] for value in keep.many(name)] if keep else []
        return taxonomy.options(kind, kept)

    return {
        "mode_labels": {key: _(text) for key, text in MODE_LABELS.items()},
        "mode_explanations": {key: _(text) for key, text in MODE_EXPLANATIONS.items()},
        "status_labels": {key: _(text) for key, text in STATUS_LABELS.items()},
        "status_badges": STATUS_BADGES,
        "field_options": options("fields"),
        "skill_options": options("skills"),
        "language_options": options("languages"),
        "language_labels": taxonomy.labels("languages"),
        "sort_options": [(key, _(text)) for key, text in SORT_LABELS.items()],
        "accessibility_options": [(slug, _(label)) for slug, label in ACCESSIBILITY],
        "accessibility_labels": {slug: _(label) for slug, label in ACCESSIBILITY},
    }


# --- public ------------------------------------------------------------------------------


class PublicController(Controller):
    @get("/", name="home")
    async def home(self, request: Request) -> Template:
        await current_taxonomy()
        user = request.user
        needs_profile = user is not None and not await has_profile(user.id)
        recommended = await home_recommendations(user.id) if user and not needs_profile else []
        context = {
            "items": await upcoming(6),
            "needs_profile": needs_profile,
            "recommended": recommended,
        }
        return Template(template_name="home.html", context=context | _labels())

    @get("/angebote", name="opportunities:list")
    async def browse(self, request: Request) -> Template:
        filters = schemas.parse_filters(request.query_params, await current_taxonomy())
        filters = await with_own_needs(filters, request.user.id if request.user else None)
        result = await search(filters)
        kept = [
            (name, value)
            for name in schemas.FILTER_NAMES
            for value in request.query_params.getall(name, [])
            if value
        ]
        # The filter selects reuse the form macros, which read a Form's values.
        filter_form = Form(
            values={
                "mode": filters.mode,
                "field": filters.field,
                "skill": filters.skill,
                "language": filters.language,
                "sort": filters.sort,
            }
        )
        context = {"filters": filters, "result": result, "kept": kept, "form": filter_form}
        return Template(
            template_name="opportunities/list.html", context=context | _labels(filter_form)
        )

    @get("/angebote/{opportunity_id:int}", name="opportunities:detail")
    async def detail(self, request: Request, opportunity_id: FromPath[int]) -> Template:
        await current_taxonomy()
        opportunity = await rules.access_opportunity(request.user, opportunity_id)
        sessions = [s for s in await services.sessions_of(opportunity_id) if not s["is_past"]]
        states = await signup_states(
            request.user.id if request.user else None, [s["id"] for s in sessions]
        )
        context = {
            "opportunity": opportunity,
            "sessions": sessions,
            "states": states,
            "can_edit": rules.can_edit(request.user, opportunity),
            "goals": await goals_of_opportunity(opportunity_id),
            "requirements": await requirements_for_detail(opportunity_id, request.user),
            "meta": detail_meta(opportunity, sessions),
        }
        return Template(template_name="opportunities/detail.html", context=context | _labels())


# --- officers ----------------------------------------------------------------------------


async def _organisation_ids(request: Request) -> tuple[set[int] | None, list[tuple[int, str]]]:
    """Administrators choose the organisation; officers always post for their own."""
    if not request.user.is_admin:
        return None, []
    choices = await services.organisation_choices()
    return {id_ for id_, _name in choices}, choices


async def _goal_groups(form: Form) -> list[tuple[str, list[tuple[int, str]]]]:
    """The outcome goals offered, grouped by main goal (retired ones only when ticked)."""
    return await link_choices([int(g) for g in form.many("goals") if g.isdigit()])


def _allowed_goals(groups: list[tuple[str, list[tuple[int, str]]]]) -> set[int]:
    return {goal_id for _title, goals in groups for goal_id, _goal in goals}


def _form_page(
    form: Form,
    organisations: list[tuple[int, str]],
    opportunity: dict[str, Any] | None = None,
    status_code: int = 200,
    goal_groups: list[tuple[str, list[tuple[int, str]]]] | None = None,
) -> Template:
    context = {
        "form": form,
        "organisations": organisations,
        "opportunity": opportunity,
        "goal_groups": goal_groups or [],
    }
    return Template(
        template_name="opportunities/form.html",
        context=context | _labels(form),
        status_code=status_code,
    )


def _sessions_page(
    opportunity: dict[str, Any],
    sessions: list[dict[str, Any]],
    form: Form | None = None,
    error: str = "",
    status_code: int = 200,
) -> Template:
    context = {
        "opportunity": opportunity,
        "sessions": sessions,
        "form": form or Form(values={"capacity": "10"}),
        "error": error,
    }
    return Template(
        template_name="opportunities/sessions.html",
        context=context | _labels(),
        status_code=status_code,
    )


class OfficerController(Controller):
    path = "/verwaltung/angebote"
    guards = [requires_officer]  # noqa: RUF012 - Litestar reads this class attribute

    @get("/", name="opportunities:manage")
    async def index(self, request: Request) -> Template:
        user = request.user
        organisation_id = None if user.is_admin else user.organisation_id
        rows = (
            await services.organisation_opportunities(organisation_id)
            if user.is_admin or organisation_id is not None
            else []
        )
        context = {"rows": rows, "can_create": rules.can_create(user)}
        return Template(template_name="opportunities/manage_list.html", context=context | _labels())

    @get("/neu", name="opportunities:new")
    async def new(self, request: Request) -> Template:
        if not rules.can_create(request.user):
            raise PermissionDeniedException()
        await current_taxonomy()
        _ids, choices = await _organisation_ids(request)
        values = {
            "contact_name": request.user.display_name,
            "contact_email": request.user.email,
            **schemas.NEW_OPPORTUNITY_VALUES,
        }
        if request.user.organisation_id:
            values["organisation"] = str(request.user.organisation_id)
        return _form_page(Form(values=values), choices, goal_groups=await link_choices())

    @post("/neu", name="opportunities:create")
    async def create(self, request: Request) -> Template | Redirect:
        if not rules.can_create(request.user):
            raise PermissionDeniedException()
        form = await Form.from_request(request)
        ids, choices = await _organisation_ids(request)
        groups = await _goal_groups(form)
        data = schemas.parse_opportunity(
            form, ids, _allowed_goals(groups), await current_taxonomy()
        )
        if data is None:
            return _form_page(form, choices, status_code=400, goal_groups=groups)
        organisation_id = data.organisation_id or request.user.organisation_id
        opportunity_id = await services.create_opportunity(data, organisation_id, request.user.id)
        return flash(
            see_other(request, "opportunities:sessions", opportunity_id=opportunity_id),
            CREATED,
        )

    @get("/{opportunity_id:int}", name="opportunities:overview")
    async def overview(self, request: Request, opportunity_id: FromPath[int]) -> Template:
        opportunity = await rules.access_opportunity(request.user, opportunity_id, manage=True)
        return await self._overview(opportunity)

    async def _overview(
        self, opportunity: dict[str, Any], error: str = "", status_code: int = 200
    ) -> Template:
        context = {
            "opportunity": opportunity,
            "sessions": await services.sessions_of(opportunity["id"]),
            "error": error,
            "goals": await goals_of_opportunity(opportunity["id"]),
        }
        return Template(
            template_name="opportunities/manage_overview.html",
            context=context | _labels(),
            status_code=status_code,
        )

    @get("/{opportunity_id:int}/bearbeiten", name="opportunities:edit")
    async def edit(self, request: Request, opportunity_id: FromPath[int]) -> Template:
        opportunity = await rules.access_opportunity(request.user, opportunity_id, manage=True)
        await current_taxonomy()
        _ids, choices = await _organisation_ids(request)
        linked = await goals_of_opportunity(opportunity_id)
        values = schemas.opportunity_form_values(opportunity)
        form = Form(values=values | {"goals": [str(goal_id) for goal_id, _title in linked]})
        return _form_page(form, choices, opportunity, goal_groups=await _goal_groups(form))

    @post("/{opportunity_id:int}/bearbeiten", name="opportunities:update")
    async def update(self, request: Request, opportunity_id: FromPath[int]) -> Template | Redirect:
        opportunity = await rules.access_opportunity(request.user, opportunity_id, manage=True)
        form = await Form.from_request(request)
        ids, choices = await _organisation_ids(request)
        linked = [goal_id for goal_id, _title in await goals_of_opportunity(opportunity_id)]
        groups = await link_choices(linked)
        data = schemas.parse_opportunity(
            form, ids, _allowed_goals(groups), await current_taxonomy()
        )
        if data is None:
            return _form_page(form, choices, opportunity, status_code=400, goal_groups=groups)
        await services.update_opportunity(opportunity_id, data)
        return flash(
            see_other(request, "opportunities:overview", opportunity_id=opportunity_id),
            "saved",
        )

    @post("/{opportunity_id:int}/veroeffentlichen", name="opportunities:publish")
    async def publish(self, request: Request, opportunity_id: FromPath[int]) -> Template | Redirect:
        opportunity = await rules.access_opportunity(request.user, opportunity_id, manage=True)
        if not await services.publish(opportunity_id):
            error = _(
                "Bitte legen Sie zuerst mindestens einen Termin in der Zukunft an; "
                "ohne Termin kann sich niemand anmelden."
            )
            return await self._overview(opportunity, error, status_code=400)
        return flash(
            see_other(request, "opportunities:overview", opportunity_id=opportunity_id),
            PUBLISHED,
        )

    @post("/{opportunity_id:int}/schliessen", name="opportunities:close")
    async def close(self, request: Request, opportunity_id: FromPath[int]) -> Redirect:
        await rules.access_opportunity(request.user, opportunity_id, manage=True)
        await services.close(opportunity_id)
        return flash(
            see_other(request, "opportunities:overview", opportunity_id=opportunity_id),
            CLOSED,
        )

    @post("/{opportunity_id:int}/kopieren", name="opportunities:duplicate")
    async def duplicate(self, request: Request, opportunity_id: FromPath[int]) -> Redirect:
        opportunity = await rules.access_opportunity(request.user, opportunity_id, manage=True)
        title = _("Kopie von {title}").format(title=opportunity["title"])
        copy_id = await services.duplicate(opportunity_id, request.user.id, title)
        return flash(see_other(request, "opportunities:edit", opportunity_id=copy_id), DUPLICATED)

    @post("/{opportunity_id:int}/wieder-oeffnen", name="opportunities:reopen")
    async def reopen(self, request: Request, opportunity_id: FromPath[int]) -> Redirect:
        await rules.access_opportunity(request.user, opportunity_id, manage=True)
        status = await services.reopen(opportunity_id)
        overview = see_other(request, "opportunities:overview", opportunity_id=opportunity_id)
        if status is None:
            return overview
        return flash(overview, REOPENED_PUBLISHED if status == "published" else REOPENED_DRAFT)

    @get("/{opportunity_id:int}/termine", name="opportunities:sessions")
    async def sessions(self, request: Request, opportunity_id: FromPath[int]) -> Template:
        opportunity = await rules.access_opportunity(request.user, opportunity_id, manage=True)
        return _sessions_page(opportunity, await services.sessions_of(opportunity_id))

    @post("/{opportunity_id:int}/termine", name="opportunities:add_session")
    async def add_session(
        self, request: Request, opportunity_id: FromPath[int]
    ) -> Template | Redirect:
        opportunity = await rules.access_opportunity(request.user, opportunity_id, manage=True)
        form = await Form.from_request(request)
        data = schemas.parse_session(form, now=utcnow())
        if data is None:
            sessions = await services.sessions_of(opportunity_id)
            return _sessions_page(opportunity, sessions, form, status_code=400)
        await services.add_session(opportunity_id, data)
        return flash(
            see_other(request, "opportunities:sessions", opportunity_id=opportunity_id),
            SESSION_ADDED,
        )

    @get("/{opportunity_id:int}/termine/{session_id:int}/bearbeiten", name="opportunities:session")
    async def edit_session(
        self, request: Request, opportunity_id: FromPath[int], session_id: FromPath[int]
    ) -> Template:
        opportunity = await rules.access_opportunity(request.user, opportunity_id, manage=True)
        session = await _session_of(opportunity_id, session_id)
        form = Form(values=schemas.session_form_values(session))
        return _session_form(opportunity, session, form)

    @post(
        "/{opportunity_id:int}/termine/{session_id:int}/bearbeiten",
        name="opportunities:update_session",
    )
    async def update_session(
        self, request: Request, opportunity_id: FromPath[int], session_id: FromPath[int]
    ) -> Template | Redirect:
        opportunity = await rules.access_opportunity(request.user, opportunity_id, manage=True)
        session = await _session_of(opportunity_id, session_id)
        form = await Form.from_request(request)
        data = schemas.parse_session(form, minimum_capacity=max(session["seats_taken"], 1))
        if data is not None and not await services.update_session(session_id, data):
            form.errors["capacity"] = _(
                "Inzwischen haben sich mehr Personen angemeldet; bitte wählen Sie eine "
                "größere Kapazität."
            )
        if not form.ok:
            return _session_form(opportunity, session, form, status_code=400)
        return flash(
            see_other(request, "opportunities:sessions", opportunity_id=opportunity_id),
            SESSION_SAVED,
        )

    @post(
        "/{opportunity_id:int}/termine/{session_id:int}/loeschen",
        name="opportunities:delete_session",
    )
    async def delete_session(
        self, request: Request, opportunity_id: FromPath[int], session_id: FromPath[int]
    ) -> Template | Redirect:
        opportunity = await rules.access_opportunity(request.user, opportunity_id, manage=True)
        await _session_of(opportunity_id, session_id)
        if not await services.delete_session(session_id):
            error = _(
                "Für diesen Termin haben sich schon Personen angemeldet; er kann nicht "
                "gelöscht werden. Sie können die Kapazität oder die Zeit ändern."
            )
            sessions = await services.sessions_of(opportunity_id)
            return _sessions_page(opportunity, sessions, error=error, status_code=400)
        return flash(
            see_other(request, "opportunities:sessions", opportunity_id=opportunity_id),
            SESSION_DELETED,
        )


async def _session_of(opportunity_id: int, session_id: int) -> dict[str, Any]:
    session = await services.get_session(opportunity_id, session_id)
    if session is None:
        raise NotFoundException()
    return session


def _session_form(
    opportunity: dict[str, Any], session: dict[str, Any], form: Form, status_code: int = 200
) -> Template:
    context = {"opportunity": opportunity, "session": session, "form": form}
    return Template(
        template_name="opportunities/session_form.html",
        context=context | _labels(),
        status_code=status_code,
    )


CONTROLLERS = [PublicController, OfficerController]
