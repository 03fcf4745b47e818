"""The officers' questionnaire builder: lists and templates, one questionnaire's settings,
questions and walk-audit stops, and a preview exactly as respondents see it.

Server-rendered and complete without JavaScript: every change is a POST answered with a
303 back to the questionnaire, or with the form again (status 400) showing what was typed
and what is wrong. Access goes through `rules.access_questionnaire`; every query and
write through `services`."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from boerse.accounts.auth import CurrentUser
from boerse.accounts.guards import requires_admin, requires_officer
from boerse.lib.flash import flash, register
from boerse.lib.forms import Form
from boerse.lib.i18n import N_
from boerse.lib.i18n import gettext as _
from boerse.lib.routing import see_other
from boerse.opportunities.labels import MODE_LABELS
from boerse.opportunities.rules import access_opportunity
from boerse.questionnaires import schemas, services
from boerse.questionnaires.kinds import KIND_LABELS
from boerse.questionnaires.rules import QuestionnaireHeader, access_questionnaire, can_manage
from boerse.questionnaires.tables import QuestionnaireKind
from boerse.questionnaires.views import numbered_questions

CREATED = register("questionnaire_created", N_("Der Fragebogen wurde angelegt."))
QUESTION_ADDED = register("question_added", N_("Die Frage wurde hinzugefügt."))
QUESTION_DELETED = register("question_deleted", N_("Die Frage wurde gelöscht."), "info")
STOP_ADDED = register("stop_added", N_("Die Station wurde hinzugefügt."))
STOP_DELETED = register("stop_deleted", N_("Die Station wurde gelöscht."), "info")
DEFAULTS_SAVED = register(
    "questionnaire_defaults_saved", N_("Die Vorlagen für die Mitmach-Arten sind gespeichert.")
)
DIRECTIONS = {"up": -1, "down": 1}


def _labels() -> dict[str, Any]:
    """Translated labels every builder template may use."""
    return {
        "kind_labels": {key: _(text) for key, text in KIND_LABELS.items()},
        "kind_options": [(key, _(text)) for key, text in KIND_LABELS.items()],
        "questionnaire_kind_labels": {
            key: _(text) for key, text in schemas.QUESTIONNAIRE_KIND_LABELS.items()
        },
        "questionnaire_kind_options": [
            (key, _(text)) for key, text in schemas.QUESTIONNAIRE_KIND_LABELS.items()
        ],
        "mode_labels": {key: _(text) for key, text in MODE_LABELS.items()},
        "target_labels": {key: _(text) for key, text in schemas.COPY_TARGETS.items()},
    }


def copy_targets(user: CurrentUser) -> list[str]:
    """What this person may create: their organisation's questionnaires and templates, and
    for administrators town-wide templates."""
    targets = ["questionnaire", "own_template"] if user.organisation_id is not None else []
    return [*targets, "town_template"] if user.is_admin else targets


def _target_owner(user: CurrentUser, target: str) -> tuple[int | None, bool]:
    """(organisation, is_template) of what a target creates."""
    if target == "town_template":
        return None, True
    return user.organisation_id, target == "own_template"


async def _list_page(
    request: Request,
    *,
    new_form: Form | None = None,
    defaults_form: Form | None = None,
    error: str = "",
    status_code: int = 200,
) -> Template:
    user = request.user
    lists = await services.questionnaire_lists(
        user.organisation_id, everything=user.is_admin, language=user.language
    )
    targets = copy_targets(user)
    candidates = await services.default_candidates() if user.is_admin else []
    if defaults_form is None:
        defaults_form = Form(
            values={
                f"default_{row.default_for_mode}": str(row.id)
                for row in candidates
                if row.default_for_mode
            }
        )
    context = {
        "lists": lists,
        "targets": targets,
        "target_options": [(t, _(schemas.COPY_TARGETS[t])) for t in targets],
        "new_form": new_form
        or Form(values={"kind": QuestionnaireKind.SURVEY.value, "target": (targets or [""])[0]}),
        "defaults_form": defaults_form,
        "candidates": [(str(row.id), row.title) for row in candidates],
        "error": error,
    }
    return Template(
        template_name="questionnaires/builder/list.html",
        context=context | _labels(),
        status_code=status_code,
    )


async def _detail_page(
    header: QuestionnaireHeader,
    form: Form | None = None,
    error: str = "",
    status_code: int = 200,
) -> Template:
    view = await services.builder_view(header.id)
    if view is None:
        raise NotFoundException()
    context = {
        "view": view,
        "plan": view.plan,
        "form": form or Form(values=schemas.settings_values(view.settings)),
        "error": error,
    }
    return Template(
        template_name="questionnaires/builder/detail.html",
        context=context | _labels(),
        status_code=status_code,
    )


def _question_page(
    header: QuestionnaireHeader, form: Form, question_id: int | None, status_code: int = 200
) -> Template:
    context = {
        "header": header,
        "form": form,
        "question_id": question_id,
        "walk_audit": header.kind == QuestionnaireKind.WALK_AUDIT,
        "option_kinds": sorted(schemas.OPTION_KINDS),
    }
    return Template(
        template_name="questionnaires/builder/question_form.html",
        context=context | _labels(),
        status_code=status_code,
    )


def _stop_page(
    header: QuestionnaireHeader, form: Form, stop_id: int | None, status_code: int = 200
) -> Template:
    return Template(
        template_name="questionnaires/builder/stop_form.html",
        context={"header": header, "form": form, "stop_id": stop_id} | _labels(),
        status_code=status_code,
    )


def _refuse_repeated_defaults(form: Form, chosen: dict[str, str]) -> None:
    """A template marks one mode (`default_for_mode` is one column): a second mode needs a copy."""
    seen: set[str] = set()
    for mode, value in chosen.items():
        if value and value in seen and f"default_{mode}" not in form.errors:
            form.errors[f"default_{mode}"] = _(
                "Diese Vorlage ist schon für eine andere Mitmach-Art gewählt. Kopieren Sie sie "
                "als stadtweite Vorlage, um sie auch hier zu verwenden."
            )
        seen.add(value)


def _direction(form: Form) -> int | None:
    return DIRECTIONS.get(str(form.values.get("direction") or ""))


def _back(request: Request, questionnaire_id: int, fragment: str = "") -> Redirect:
    return see_other(
        request, "questionnaires:detail", fragment=fragment, questionnaire_id=questionnaire_id
    )


class BuilderController(Controller):
    path = "/verwaltung/frageboegen"
    guards = [requires_officer]  # noqa: RUF012 - Litestar reads this class attribute

    # --- lists, new questionnaires, templates ---------------------------------------------

    @get("/", name="questionnaires:list")
    async def index(self, request: Request) -> Template:
        return await _list_page(request)

    @post("/neu", name="questionnaires:create")
    async def create(self, request: Request) -> Template | Redirect:
        form = await Form.from_request(request)
        data = schemas.parse_new(form, copy_targets(request.user))
        if data is None:
            return await _list_page(request, new_form=form, status_code=400)
        organisation_id, is_template = _target_owner(request.user, data.target)
        questionnaire_id = await services.create_questionnaire(
            title=data.title,
            kind=data.kind,
            organisation_id=organisation_id,
            is_template=is_template,
            language=request.user.language,
            created_by=request.user.id,
        )
        return flash(_back(request, questionnaire_id), CREATED)

    @post("/{questionnaire_id:int}/kopieren", name="questionnaires:copy")
    async def copy(self, request: Request, questionnaire_id: FromPath[int]) -> Template | Redirect:
        await access_questionnaire(request.user, questionnaire_id)
        form = await Form.from_request(request)
        target = str(form.values.get("target") or "")
        if target not in copy_targets(request.user):
            error = _("Diese Kopie können Sie nicht anlegen. Bitte wählen Sie eine andere.")
            return await _list_page(request, error=error, status_code=400)
        organisation_id, is_template = _target_owner(request.user, target)
        copied = await services.copy_template(
            questionnaire_id,
            organisation_id=organisation_id,
            is_template=is_template,
            created_by=request.user.id,
        )
        return flash(_back(request, copied), CREATED)

    @post("/standard", name="questionnaires:set_defaults", guards=[requires_admin])
    async def set_defaults(self, request: Request) -> Template | Redirect:
        form = await Form.from_request(request)
        form.labels = {f"default_{mode}": label for mode, label in MODE_LABELS.items()}
        allowed = [str(row.id) for row in await services.default_candidates()]
        chosen = {
            mode: form.choice(f"default_{mode}", allowed, required=False) for mode in MODE_LABELS
        }
        _refuse_repeated_defaults(form, chosen)
        if not form.ok:
            return await _list_page(request, defaults_form=form, status_code=400)
        await services.set_mode_defaults(
            {mode: int(value) if value else None for mode, value in chosen.items()}
        )
        return flash(see_other(request, "questionnaires:list"), DEFAULTS_SAVED)

    @get("/angebot/{opportunity_id:int}", name="questionnaires:for_opportunity")
    async def for_opportunity(
        self, request: Request, opportunity_id: FromPath[int]
    ) -> Template | Redirect:
        await access_opportunity(request.user, opportunity_id, manage=True)
        try:
            questionnaire_id = await services.open_for_opportunity(opportunity_id)
        except LookupError:
            error = _(
                "Es gibt noch keine Vorlage, aus der der Fragebogen entstehen kann. "
                "Bitte wenden Sie sich an die Administration."
            )
            return await _list_page(request, error=error, status_code=409)
        return _back(request, questionnaire_id)

    # --- one questionnaire -----------------------------------------------------------------

    @get("/{questionnaire_id:int}", name="questionnaires:detail")
    async def detail(self, request: Request, questionnaire_id: FromPath[int]) -> Template:
        header = await access_questionnaire(request.user, questionnaire_id, manage=True)
        return await _detail_page(header)

    @post("/{questionnaire_id:int}", name="questionnaires:update")
    async def update(
        self, request: Request, questionnaire_id: FromPath[int]
    ) -> Template | Redirect:
        header = await access_questionnaire(request.user, questionnaire_id, manage=True)
        form = await Form.from_request(request)
        data = schemas.parse_settings(form)
        if data is None:
            return await _detail_page(header, form, status_code=400)
        await services.update_settings(questionnaire_id, data)
        return flash(_back(request, questionnaire_id), "saved")

    @get("/{questionnaire_id:int}/vorschau", name="questionnaires:preview")
    async def preview(
        self, request: Request, questionnaire_id: FromPath[int], seite: FromQuery[int] = 1
    ) -> Template:
        """Readers of a template (officers looking at a town-wide one) may preview it too."""
        header = await access_questionnaire(request.user, questionnaire_id)
        plan = await services.latest_plan(questionnaire_id)
        if plan is None:
            raise NotFoundException()
        number = min(max(seite, 1), max(len(plan.pages), 1))
        page = plan.pages[number - 1] if plan.pages else None
        context = {
            "header": header,
            "plan": plan,
            "page": page,
            "page_count": len(plan.pages),
            "questions": numbered_questions(plan, page) if page else [],
            "total": plan.question_count,
            "stop_number": plan.stops.index(page.stop) + 1 if page and page.stop else 0,
            "can_manage": can_manage(request.user, header),
        }
        return Template(
            template_name="questionnaires/builder/preview.html", context=context | _labels()
        )

    # --- questions -------------------------------------------------------------------------

    @get("/{questionnaire_id:int}/fragen/neu", name="questionnaires:new_question")
    async def new_question(self, request: Request, questionnaire_id: FromPath[int]) -> Template:
        header = await access_questionnaire(request.user, questionnaire_id, manage=True)
        walk_audit = header.kind == QuestionnaireKind.WALK_AUDIT
        plan = await services.latest_plan(questionnaire_id)
        last_page = max((q.page for q in plan.questions), default=1) if plan else 1
        values = {
            "kind": "checklist" if walk_audit else "agreement",
            "page": str(last_page),
            "per_stop": "on" if walk_audit else "",
        }
        return _question_page(header, Form(values=values), None)

    @post("/{questionnaire_id:int}/fragen/neu", name="questionnaires:add_question")
    async def add_question(
        self, request: Request, questionnaire_id: FromPath[int]
    ) -> Template | Redirect:
        header = await access_questionnaire(request.user, questionnaire_id, manage=True)
        form = await Form.from_request(request)
        data = schemas.parse_question(form, walk_audit=header.kind == QuestionnaireKind.WALK_AUDIT)
        if data is None:
            return _question_page(header, form, None, status_code=400)
        await services.add_question(questionnaire_id, data)
        return flash(_back(request, questionnaire_id, "fragen"), QUESTION_ADDED)

    @get("/{questionnaire_id:int}/fragen/{question_id:int}", name="questionnaires:edit_question")
    async def edit_question(
        self, request: Request, questionnaire_id: FromPath[int], question_id: FromPath[int]
    ) -> Template:
        header = await access_questionnaire(request.user, questionnaire_id, manage=True)
        question = await services.question_of(questionnaire_id, question_id)
        if question is None:
            raise NotFoundException()
        return _question_page(header, Form(values=schemas.question_values(question)), question_id)

    @post("/{questionnaire_id:int}/fragen/{question_id:int}", name="questionnaires:update_question")
    async def update_question(
        self, request: Request, questionnaire_id: FromPath[int], question_id: FromPath[int]
    ) -> Template | Redirect:
        header = await access_questionnaire(request.user, questionnaire_id, manage=True)
        if await services.question_of(questionnaire_id, question_id) is None:
            raise NotFoundException()
        form = await Form.from_request(request)
        data = schemas.parse_question(form, walk_audit=header.kind == QuestionnaireKind.WALK_AUDIT)
        if data is None:
            return _question_page(header, form, question_id, status_code=400)
        try:
            await services.update_question(questionnaire_id, question_id, data)
        except services.NotInLatestVersionError:
            raise NotFoundException() from None
        return flash(_back(request, questionnaire_id, "fragen"), "saved")

    @post(
        "/{questionnaire_id:int}/fragen/{question_id:int}/loeschen",
        name="questionnaires:delete_question",
    )
    async def delete_question(
        self, request: Request, questionnaire_id: FromPath[int], question_id: FromPath[int]
    ) -> Redirect:
        await access_questionnaire(request.user, questionnaire_id, manage=True)
        try:
            await services.delete_question(questionnaire_id, question_id)
        except services.NotInLatestVersionError:
            raise NotFoundException() from None
        return flash(_back(request, questionnaire_id, "fragen"), QUESTION_DELETED)

    @post(
        "/{questionnaire_id:int}/fragen/{question_id:int}/verschieben",
        name="questionnaires:move_question",
    )
    async def move_question(
        self, request: Request, questionnaire_id: FromPath[int], question_id: FromPath[int]
    ) -> Template | Redirect:
        header = await access_questionnaire(request.user, questionnaire_id, manage=True)
        step = _direction(await Form.from_request(request))
        if step is None:
            error = _("Bitte verschieben Sie die Frage mit „Nach oben“ oder „Nach unten“.")
            return await _detail_page(header, error=error, status_code=400)
        try:
            await services.move_question(questionnaire_id, question_id, step)
        except services.NotInLatestVersionError:
            raise NotFoundException() from None
        return _back(request, questionnaire_id, "fragen")

    # --- stops of a walk audit ------------------------------------------------------------

    @get("/{questionnaire_id:int}/stationen/neu", name="questionnaires:new_stop")
    async def new_stop(self, request: Request, questionnaire_id: FromPath[int]) -> Template:
        header = await access_questionnaire(request.user, questionnaire_id, manage=True)
        return _stop_page(header, Form(), None)

    @post("/{questionnaire_id:int}/stationen/neu", name="questionnaires:add_stop")
    async def add_stop(
        self, request: Request, questionnaire_id: FromPath[int]
    ) -> Template | Redirect:
        header = await access_questionnaire(request.user, questionnaire_id, manage=True)
        form = await Form.from_request(request)
        data = schemas.parse_stop(form)
        if data is None:
            return _stop_page(header, form, None, status_code=400)
        await services.add_stop(questionnaire_id, data)
        return flash(_back(request, questionnaire_id, "stationen"), STOP_ADDED)

    @get("/{questionnaire_id:int}/stationen/{stop_id:int}", name="questionnaires:edit_stop")
    async def edit_stop(
        self, request: Request, questionnaire_id: FromPath[int], stop_id: FromPath[int]
    ) -> Template:
        header = await access_questionnaire(request.user, questionnaire_id, manage=True)
        stop = await services.stop_of(questionnaire_id, stop_id)
        if stop is None:
            raise NotFoundException()
        return _stop_page(header, Form(values=schemas.stop_values(stop)), stop_id)

    @post("/{questionnaire_id:int}/stationen/{stop_id:int}", name="questionnaires:update_stop")
    async def update_stop(
        self, request: Request, questionnaire_id: FromPath[int], stop_id: FromPath[int]
    ) -> Template | Redirect:
        header = await access_questionnaire(request.user, questionnaire_id, manage=True)
        if await services.stop_of(questionnaire_id, stop_id) is None:
            raise NotFoundException()
        form = await Form.from_request(request)
        data = schemas.parse_stop(form)
        if data is None:
            return _stop_page(header, form, stop_id, status_code=400)
        try:
            await services.update_stop(questionnaire_id, stop_id, data)
        except services.NotInLatestVersionError:
            raise NotFoundException() from None
        return flash(_back(request, questionnaire_id, "stationen"), "saved")

    @post(
        "/{questionnaire_id:int}/stationen/{stop_id:int}/loeschen",
        name="questionnaires:delete_stop",
    )
    async def delete_stop(
        self, request: Request, questionnaire_id: FromPath[int], stop_id: FromPath[int]
    ) -> Redirect:
        await access_questionnaire(request.user, questionnaire_id, manage=True)
        try:
            await services.delete_stop(questionnaire_id, stop_id)
        except services.NotInLatestVersionError:
            raise NotFoundException() from None
        return flash(_back(request, questionnaire_id, "stationen"), STOP_DELETED)

    @post(
        "/{questionnaire_id:int}/stationen/{stop_id:int}/verschieben",
        name="questionnaires:move_stop",
    )
    async def move_stop(
        self, request: Request, questionnaire_id: FromPath[int], stop_id: FromPath[int]
    ) -> Template | Redirect:
        header = await access_questionnaire(request.user, questionnaire_id, manage=True)
        step = _direction(await Form.from_request(request))
        if step is None:
            error = _("Bitte verschieben Sie die Station mit „Früher“ oder „Später“.")
            return await _detail_page(header, error=error, status_code=400)
        try:
            await services.move_stop(questionnaire_id, stop_id, step)
        except services.NotInLatestVersionError:
            raise NotFoundException() from None
        return _back(request, questionnaire_id, "stationen")


CONTROLLERS = [BuilderController]
