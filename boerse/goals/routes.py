"""Outcome goals on the web: the administrators' hierarchy, the officers' indicator marks
per questionnaire, and the public goal list and goal pages."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from boerse.accounts.guards import requires_admin, requires_officer
from boerse.goals import rules, schemas, services
from boerse.goals.services import GoalRow
from boerse.lib.flash import flash, register
from boerse.lib.forms import Form
from boerse.lib.i18n import N_
from boerse.lib.i18n import gettext as _
from boerse.lib.routing import see_other
from boerse.opportunities.rules import access_opportunity
from boerse.questionnaires.rules import QuestionnaireHeader
from boerse.questionnaires.services import open_for_opportunity
from boerse.replies.views import goal_reply_context
from boerse.settings import get_settings

SAVED = register("goal_saved", N_("Das Wirkungsziel wurde gespeichert."))
RETIRED = register(
    "goal_retired", N_("Das Wirkungsziel wird für neue Angebote nicht mehr angeboten.")
)
RESTORED = register("goal_restored", N_("Das Wirkungsziel wird wieder angeboten."))
INDICATORS_SAVED = register("indicators_saved", N_("Die Indikatoren wurden gespeichert."))


async def _form_page(form: Form, goal: GoalRow | None = None, status_code: int = 200) -> Template:
    context = {
        "form": form,
        "goal": goal,
        "parents": await services.parent_choices(exclude=goal.id if goal else None),
        "fields": [(id_, _(name)) for id_, name in await services.field_choices()],
    }
    return Template(template_name="goals/form.html", context=context, status_code=status_code)


def _goal_values(goal: GoalRow) -> dict[str, str]:
    return {
        "title": goal.title,
        "description": goal.description,
        "parent": str(goal.parent_id or ""),
        "field": str(goal.field_id or ""),
        "position": str(goal.position),
    }


async def _parse(form: Form, goal: GoalRow | None) -> schemas.GoalInput | None:
    parents = {id_ for id_, _title in await services.parent_choices(goal.id if goal else None)}
    fields = {id_ for id_, _name in await services.field_choices()}
    has_subs = goal is not None and await services.has_sub_goals(goal.id)
    return schemas.parse_goal(form, parents, fields, has_subs=has_subs)


class GoalAdminController(Controller):
    path = "/admin/wirkungsziele"
    guards = [requires_admin]  # noqa: RUF012 - Litestar reads this class attribute

    @get("/", name="goals:admin_list")
    async def index(self) -> Template:
        tree = await services.goal_tree(include_retired=True)
        return Template(template_name="goals/admin_list.html", context={"tree": tree})

    @get("/neu", name="goals:new")
    async def new(self, parent: FromQuery[int | None] = None) -> Template:
        return await _form_page(Form(values={"parent": str(parent or ""), "position": "0"}))

    @post("/neu", name="goals:create")
    async def create(self, request: Request) -> Template | Redirect:
        form = await Form.from_request(request)
        data = await _parse(form, None)
        if data is None:
            return await _form_page(form, status_code=400)
        await services.save_goal(None, data)
        return flash(see_other(request, "goals:admin_list"), SAVED)

    @get("/{goal_id:int}", name="goals:edit")
    async def edit(self, request: Request, goal_id: FromPath[int]) -> Template:
        goal = await rules.access_goal(request.user, goal_id, manage=True)
        return await _form_page(Form(values=_goal_values(goal)), goal)

    @post("/{goal_id:int}", name="goals:update")
    async def update(self, request: Request, goal_id: FromPath[int]) -> Template | Redirect:
        goal = await rules.access_goal(request.user, goal_id, manage=True)
        form = await Form.from_request(request)
        data = await _parse(form, goal)
        if data is None:
            return await _form_page(form, goal, status_code=400)
        await services.save_goal(goal_id, data)
        return flash(see_other(request, "goals:admin_list"), SAVED)

    @post("/{goal_id:int}/stilllegen", name="goals:retire")
    async def retire(self, request: Request, goal_id: FromPath[int]) -> Redirect:
        goal = await rules.access_goal(request.user, goal_id, manage=True)
        await services.set_retired(goal_id, not goal.retired)
        return flash(see_other(request, "goals:admin_list"), RESTORED if goal.retired else RETIRED)


async def _indicators_page(
    header: QuestionnaireHeader, form: Form | None = None, status_code: int = 200
) -> Template:
    questions = await services.indicator_form(header.id)
    goals = await services.goals_of_opportunity(header.opportunity_id or 0)
    if form is None:
        form = Form(values={f"q{q.id}": [str(g) for g in q.goal_ids] for q in questions})
    context = {"header": header, "questions": questions, "goals": goals, "form": form}
    return Template(template_name="goals/indicators.html", context=context, status_code=status_code)


class IndicatorController(Controller):
    path = "/verwaltung/frageboegen/{questionnaire_id:int}/indikatoren"
    guards = [requires_officer]  # noqa: RUF012 - Litestar reads this class attribute

    @get("/", name="goals:indicators")
    async def show(self, request: Request, questionnaire_id: FromPath[int]) -> Template:
        header = await rules.access_indicators(request.user, questionnaire_id)
        return await _indicators_page(header)

    @post("/", name="goals:save_indicators")
    async def save(self, request: Request, questionnaire_id: FromPath[int]) -> Template | Redirect:
        header = await rules.access_indicators(request.user, questionnaire_id)
        form = await Form.from_request(request)
        allowed = {
            id_ for id_, _title in await services.goals_of_opportunity(header.opportunity_id or 0)
        }
        marks = {}
        for question in await services.indicator_form(questionnaire_id):
            goal_ids = schemas.parse_goal_ids(form, f"q{question.id}", allowed)
            if goal_ids:
                marks[question.id] = goal_ids
        if not form.ok:
            return await _indicators_page(header, form, status_code=400)
        await services.save_indicators(questionnaire_id, marks)
        return flash(
            see_other(request, "goals:indicators", questionnaire_id=questionnaire_id),
            INDICATORS_SAVED,
        )


class OpportunityIndicatorController(Controller):
    path = "/verwaltung/angebote/{opportunity_id:int}/indikatoren"
    guards = [requires_officer]  # noqa: RUF012 - Litestar reads this class attribute

    @get("/", name="goals:indicators_for_opportunity")
    async def for_opportunity(self, request: Request, opportunity_id: FromPath[int]) -> Redirect:
        """The opportunity's questionnaire (made from its template on first use, as the
        builder's link does), then its indicator page."""
        await access_opportunity(request.user, opportunity_id, manage=True)
        try:
            questionnaire_id = await open_for_opportunity(opportunity_id)
        except LookupError:  # no template yet: the builder's page explains it
            return see_other(
                request, "questionnaires:for_opportunity", opportunity_id=opportunity_id
            )
        return see_other(request, "goals:indicators", questionnaire_id=questionnaire_id)


class GoalPublicController(Controller):
    path = "/wirkungsziele"

    @get("/", name="goals:list")
    async def index(self) -> Template:
        tree = await services.goal_tree()
        return Template(template_name="goals/list.html", context={"tree": tree})

    @get("/{goal_id:int}", name="goals:detail")
    async def detail(self, request: Request, goal_id: FromPath[int]) -> Template:
        await rules.access_goal(request.user, goal_id)
        page = await services.goal_page(goal_id, get_settings().public_results_min_answers)
        replies = await goal_reply_context(request, goal_id, page.goal_ids)
        return Template(template_name="goals/detail.html", context={"page": page, **replies})


CONTROLLERS = [
    GoalAdminController,
    IndicatorController,
    OpportunityIndicatorController,
    GoalPublicController,
]
