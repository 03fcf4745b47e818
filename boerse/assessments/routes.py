"""Standalone assessments on the web: the officers' pages (list, create, edit, link and QR
code, poster, single-use links by mail) and the respondents' (public list, landing page,
answering with an account or a single-use link, thank-you page)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import (
    NoRouteMatchFoundException,
    NotAuthorizedException,
    PermissionDeniedException,
)
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from boerse.accounts.guards import requires_officer
from boerse.assessments import rules, schemas, services
from boerse.assessments.respond import (
    PRIVATE_HEADERS,
    Problem,
    Respondent,
    answer,
    problem_page,
    show,
)
from boerse.assessments.services import AssessmentRow, Phase
from boerse.assessments.tables import AssessmentAccess
from boerse.lib.db import utcnow
from boerse.lib.flash import flash, register
from boerse.lib.formatting import local
from boerse.lib.forms import Form
from boerse.lib.i18n import N_
from boerse.lib.i18n import gettext as _
from boerse.lib.routing import see_other
from boerse.lib.urls import site_url
from boerse.opportunities.services import organisation_choices
from boerse.questionnaires.rules import access_questionnaire

CREATED = register(
    "assessment_created",
    N_("Die Bewertung ist angelegt. Prüfen Sie jetzt die Fragen im Fragebogen."),
)
SAVED = register("assessment_saved", N_("Die Bewertung wurde gespeichert."))

ACCESS_LABELS = {
    AssessmentAccess.ACCOUNT.value: N_(
        "Alle mit bestätigtem Konto, je eine Antwort (öffentlicher Link und QR-Code)"
    ),
    AssessmentAccess.LINK.value: N_(
        "Nur Eingeladene, je eine Antwort (persönlicher Link per E-Mail)"
    ),
}


def route_exists(request: Request, name: str, **params: Any) -> str | None:
    """The path of another helper's page, or None while that page is not there: the
    builder and the results pages live in the questionnaires domain."""
    try:
        return request.app.route_reverse(name, **params)
    except NoRouteMatchFoundException:
        return None


# --- officers ---------------------------------------------------------------------------


def _labels() -> dict[str, Any]:
    return {
        "access_options": [(key, _(label)) for key, label in ACCESS_LABELS.items()],
        "access_labels": {key: _(label) for key, label in ACCESS_LABELS.items()},
    }


async def _organisations(request: Request) -> tuple[set[int] | None, list[tuple[int, str]]]:
    """Administrators without an organisation choose one; officers run campaigns for theirs."""
    user = request.user
    if not user.is_admin or user.organisation_id is not None:
        return None, []
    choices = await organisation_choices()
    return {id_ for id_, _name in choices}, choices


def _form_page(
    form: Form,
    *,
    sources: list[services.SourceChoice] | None,
    organisations: list[tuple[int, str]],
    row: AssessmentRow | None = None,
    status_code: int = 200,
) -> Template:
    context = {
        "form": form,
        "source_options": _source_options(sources) if sources is not None else None,
        "organisations": organisations,
        "row": row,
    }
    return Template(
        template_name="assessments/form.html",
        context=context | _labels(),
        status_code=status_code,
    )


def _source_options(sources: list[services.SourceChoice]) -> list[tuple[str, str]]:
    options = [(schemas.BLANK_SOURCE, _("Leer beginnen (Fragen selbst anlegen)"))]
    for source in sources:
        prefix = _("Vorlage:") if source.is_template else _("Kopie von:")
        options.append((source.value, f"{prefix} {source.label}"))
    return options


def _form_values(row: AssessmentRow) -> dict[str, str]:
    last_day = local(row.last_moment).date()
    return {
        "title": row.title,
        "description": row.description,
        "access": row.access,
        "opens_on": local(row.opens_at).date().isoformat(),
        "closes_on": last_day.isoformat(),
    }


DEFAULT_PERIOD_DAYS = 28
"""A new campaign's suggested period: four weeks from today."""


def _today() -> dt.date:
    return local(utcnow()).date()


def _qr_data_uri(url: str) -> str:
    import segno

    return segno.make(url, error="m").svg_data_uri(scale=6, border=4)


class OfficerController(Controller):
    path = "/verwaltung/mitbewerten"
    guards = [requires_officer]  # noqa: RUF012 - Litestar reads this class attribute

    @get("/", name="assessments:manage")
    async def index(self, request: Request) -> Template:
        user = request.user
        rows = (
            await services.organisation_assessments(None if user.is_admin else user.organisation_id)
            if rules.can_create(user)
            else []
        )
        context = {"rows": rows, "can_create": rules.can_create(user), "now": utcnow()}
        return Template(template_name="assessments/manage_list.html", context=context | _labels())

    @get("/neu", name="assessments:new")
    async def new(self, request: Request) -> Template:
        if not rules.can_create(request.user):
            raise PermissionDeniedException()
        _ids, choices = await _organisations(request)
        today = _today()
        form = Form(
            values={
                "access": AssessmentAccess.ACCOUNT.value,
                "source": schemas.BLANK_SOURCE,
                "opens_on": today.isoformat(),
                "closes_on": (today + dt.timedelta(days=DEFAULT_PERIOD_DAYS)).isoformat(),
            }
        )
        sources = await services.source_choices(request.user.organisation_id)
        return _form_page(form, sources=sources, organisations=choices)

    @post("/neu", name="assessments:create")
    async def create(self, request: Request) -> Template | Redirect:
        if not rules.can_create(request.user):
            raise PermissionDeniedException()
        form = await Form.from_request(request)
        ids, choices = await _organisations(request)
        sources = await services.source_choices(request.user.organisation_id)
        allowed = {schemas.BLANK_SOURCE} | {source.value for source in sources}
        data = schemas.parse_assessment(form, today=_today(), sources=allowed, organisations=ids)
        if data is None:
            return _form_page(form, sources=sources, organisations=choices, status_code=400)
        organisation_id = data.organisation_id or request.user.organisation_id
        assessment_id = await services.create_assessment(data, organisation_id, request.user.id)
        return flash(see_other(request, "assessments:detail", assessment_id=assessment_id), CREATED)

    @get("/{assessment_id:int}", name="assessments:detail")
    async def detail(
        self,
        request: Request,
        assessment_id: FromPath[int],
        sent: FromQuery[int | None] = None,
        already: FromQuery[int | None] = None,
        duplicates: FromQuery[int | None] = None,
    ) -> Template:
        row = await rules.access_assessment(request.user, assessment_id)
        outcome = None
        if sent is not None:
            outcome = {"sent": sent, "already": already or 0, "duplicates": duplicates or 0}
        return await _detail_page(request, row, Form(), outcome=outcome)

    @post("/{assessment_id:int}/einladen", name="assessments:invite")
    async def invite(self, request: Request, assessment_id: FromPath[int]) -> Template | Redirect:
        row = await rules.access_assessment(request.user, assessment_id, manage=True)
        form = await Form.from_request(request)
        if not row.by_link:
            form.errors["addresses"] = _(
                "Diese Bewertung ist für alle mit Konto offen; persönliche Links gibt es nur "
                "bei „Nur Eingeladene“."
            )
            return await _detail_page(request, row, form, status_code=400)
        if row.phase() is Phase.CLOSED:
            form.errors["addresses"] = _(
                "Die Bewertung ist beendet. Verlängern Sie den Zeitraum, um noch einzuladen."
            )
            return await _detail_page(request, row, form, status_code=400)
        addresses = schemas.parse_addresses(form)
        if addresses is None:
            return await _detail_page(request, row, form, status_code=400)
        outcome = await services.invite(row, addresses.addresses)
        target = request.app.route_reverse("assessments:detail", assessment_id=row.id)
        query = f"sent={outcome.sent}&already={outcome.already}&duplicates={addresses.duplicates}"
        return Redirect(f"{target}?{query}#einladen", status_code=303)

    @get("/{assessment_id:int}/bearbeiten", name="assessments:edit")
    async def edit(self, request: Request, assessment_id: FromPath[int]) -> Template:
        row = await rules.access_assessment(request.user, assessment_id, manage=True)
        return _form_page(Form(values=_form_values(row)), sources=None, organisations=[], row=row)

    @post("/{assessment_id:int}/bearbeiten", name="assessments:update")
    async def update(self, request: Request, assessment_id: FromPath[int]) -> Template | Redirect:
        row = await rules.access_assessment(request.user, assessment_id, manage=True)
        form = await Form.from_request(request)
        data = schemas.parse_assessment(form, today=_today(), sources=None, organisations=None)
        if data is None:
            return _form_page(form, sources=None, organisations=[], row=row, status_code=400)
        await services.update_assessment(row.id, data)
        return flash(see_other(request, "assessments:detail", assessment_id=row.id), SAVED)

    @get("/{assessment_id:int}/plakat", name="assessments:poster")
    async def poster(self, request: Request, assessment_id: FromPath[int]) -> Template:
        row = await rules.access_assessment(request.user, assessment_id)
        url = site_url("assessments:landing", slug=row.slug)
        context = {"row": row, "url": url, "qr": _qr_data_uri(url)}
        return Template(template_name="assessments/poster.html", context=context)


async def _detail_page(
    request: Request,
    row: AssessmentRow,
    form: Form,
    *,
    outcome: dict[str, int] | None = None,
    status_code: int = 200,
) -> Template:
    url = site_url("assessments:landing", slug=row.slug)
    header = await access_questionnaire(request.user, row.questionnaire_id)
    context = {
        "row": row,
        "phase": row.phase().value,
        "url": url,
        "qr": _qr_data_uri(url),
        "form": form,
        "outcome": outcome,
        "links": await services.link_counts(row.id) if row.by_link else None,
        "responses": (await services.completed_responses([row.questionnaire_id])).get(
            row.questionnaire_id, 0
        ),
        "questionnaire": header,
        "builder_url": route_exists(
            request, "questionnaires:detail", questionnaire_id=row.questionnaire_id
        ),
        "results_url": route_exists(
            request, "questionnaires:results", questionnaire_id=row.questionnaire_id
        ),
    }
    return Template(
        template_name="assessments/detail.html",
        context=context | _labels(),
        status_code=status_code,
    )


# --- respondents ------------------------------------------------------------------------


async def _public_row(slug: str) -> AssessmentRow | Template:
    row = await services.assessment_by_slug(slug)
    if row is None:
        return problem_page(Problem.UNKNOWN_ASSESSMENT)
    return row


def _phase_problem(row: AssessmentRow) -> Template | None:
    phase = row.phase()
    if phase is Phase.UPCOMING:
        return problem_page(Problem.NOT_YET_OPEN, row)
    if phase is Phase.CLOSED:
        return problem_page(Problem.CLOSED, row)
    return None


class PublicController(Controller):
    path = "/mitbewerten"

    @get("/", name="assessments:public_list")
    async def public_list(self) -> Template:
        return Template(
            template_name="assessments/public_list.html",
            context={"rows": await services.open_assessments()},
        )

    @get("/{slug:str}", name="assessments:landing")
    async def landing(self, request: Request, slug: FromPath[str]) -> Template:
        row = await _public_row(slug)
        if isinstance(row, Template):
            return row
        phase = row.phase()
        if phase is Phase.CLOSED:
            return problem_page(Problem.CLOSED, row)
        answered = (
            request.user is not None
            and not row.by_link
            and await services.has_answered(row.id, request.user.id)
        )
        context = {"row": row, "phase": phase.value, "answered": answered}
        return Template(template_name="assessments/landing.html", context=context)

    @get("/{slug:str}/danke", name="assessments:thanks")
    async def thanks(self, slug: FromPath[str]) -> Template:
        row = await _public_row(slug)
        if isinstance(row, Template):
            return row
        return Template(
            template_name="assessments/thanks.html", context={"row": row}, headers=PRIVATE_HEADERS
        )

    @get("/{slug:str}/antworten", name="assessments:answer")
    async def answer_with_account(
        self, request: Request, slug: FromPath[str]
    ) -> Template | Redirect:
        respondent = await _account_respondent(request, slug)
        if isinstance(respondent, Template):
            return respondent
        return await show(respondent)

    @post("/{slug:str}/antworten", name="assessments:answer_save")
    async def save_with_account(self, request: Request, slug: FromPath[str]) -> Template | Redirect:
        respondent = await _account_respondent(request, slug)
        if isinstance(respondent, Template):
            return respondent
        return await answer(request, respondent)

    @get("/{slug:str}/{token:str}", name="assessments:answer_link")
    async def answer_with_link(
        self, request: Request, slug: FromPath[str], token: FromPath[str]
    ) -> Template | Redirect:
        respondent = await _link_respondent(request, slug, token)
        if isinstance(respondent, Template):
            return respondent
        return await show(respondent)

    @post("/{slug:str}/{token:str}", name="assessments:answer_link_save")
    async def save_with_link(
        self, request: Request, slug: FromPath[str], token: FromPath[str]
    ) -> Template | Redirect:
        respondent = await _link_respondent(request, slug, token)
        if isinstance(respondent, Template):
            return respondent
        return await answer(request, respondent)


async def _account_respondent(request: Request, slug: str) -> Respondent | Template:
    """Account access: a verified account that has not answered yet, within the period.
    Not logged in: to the login form and back here."""
    row = await _public_row(slug)
    if isinstance(row, Template):
        return row
    if row.by_link:
        return problem_page(Problem.NEEDS_LINK, row)
    if problem := _phase_problem(row):
        return problem
    user = request.user
    if user is None:
        raise NotAuthorizedException()
    if not user.email_verified:
        return problem_page(Problem.UNVERIFIED, row)
    if await services.has_answered(row.id, user.id):
        return problem_page(Problem.ACCOUNT_ANSWERED, row)
    return Respondent.for_account(request, row, user.id)


async def _link_respondent(request: Request, slug: str, token: str) -> Respondent | Template:
    row = await _public_row(slug)
    if isinstance(row, Template):
        return row
    if not row.by_link:
        return problem_page(Problem.UNKNOWN_LINK, row)
    state = await services.link_state(row.id, token)
    if state is services.LinkState.UNKNOWN:
        return problem_page(Problem.UNKNOWN_LINK, row)
    if state is services.LinkState.ANSWERED:
        return problem_page(Problem.LINK_ANSWERED, row)
    if problem := _phase_problem(row):
        return problem
    return Respondent.for_link(request, row, token)


CONTROLLERS = [OfficerController, PublicController]
