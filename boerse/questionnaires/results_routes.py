"""The officer's results of a questionnaire and the CSV export of its anonymous answers."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Stream, Template

from boerse.accounts.guards import requires_officer
from boerse.audit.actions import Action
from boerse.audit.services import record_now
from boerse.lib.flash import flash, register
from boerse.lib.i18n import N_
from boerse.lib.routing import see_other
from boerse.questionnaires import export
from boerse.questionnaires.results import questionnaire_results
from boerse.questionnaires.rules import access_questionnaire_results
from boerse.replies.views import reply_context
from boerse.settings import get_settings

EXPORT_WITHHELD = register(
    "results_export_withheld",
    N_("Die Antworten lassen sich erst herunterladen, wenn genug Personen geantwortet haben."),
    "info",
)
VersionQuery = Annotated[int | None, QueryParameter(name="version", ge=1)]
PageQuery = Annotated[int, QueryParameter(name="seite", ge=1)]


class QuestionnaireResultsController(Controller):
    path = "/verwaltung/frageboegen/{questionnaire_id:int}/ergebnisse"
    guards = [requires_officer]  # noqa: RUF012 - Litestar reads this class attribute

    @get("/", name="questionnaires:results")
    async def results(
        self,
        request: Request,
        questionnaire_id: FromPath[int],
        version: VersionQuery = None,
        page: PageQuery = 1,
    ) -> Template:
        header = await access_questionnaire_results(request.user, questionnaire_id)
        settings = get_settings()
        results = await questionnaire_results(
            header.id,
            opportunity_id=header.opportunity_id,
            min_answers=settings.officer_results_min_answers,
            version_number=version,
            with_texts=True,
            text_page_number=page,
        )
        if results is None:
            raise NotFoundException()
        return Template(
            template_name="questionnaires/results/results.html",
            context={
                "header": header,
                "results": results,
                "public_min_answers": settings.public_results_min_answers,
                **await reply_context(request, header),
            },
        )

    @get("/antworten.csv", name="questionnaires:export_csv")
    async def export_csv(
        self, request: Request, questionnaire_id: FromPath[int], version: VersionQuery = None
    ) -> Stream | Redirect:
        header = await access_questionnaire_results(request.user, questionnaire_id)
        results = await questionnaire_results(
            header.id,
            opportunity_id=header.opportunity_id,
            min_answers=get_settings().officer_results_min_answers,
            version_number=version,
        )
        if results is None:
            raise NotFoundException()
        if not results.shown or results.plan is None:
            redirect = see_other(request, "questionnaires:results", questionnaire_id=header.id)
            return flash(redirect, EXPORT_WITHHELD)
        # Staff exports are logged (who, which questionnaire, how many responses), never answers.
        await record_now(
            Action.RESULTS_EXPORTED,
            header.opportunity_id,
            summary=f"{header.title} ({results.plan.number})",
            count=results.responses,
        )
        filename = export.export_filename(header.title, results.plan.number)
        return Stream(
            export.csv_chunks(results.plan),
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="{filename}"',
                "Cache-Control": "no-store",
            },
        )


CONTROLLERS = [QuestionnaireResultsController]
