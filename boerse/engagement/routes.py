"""Engagement routes: "Mein Engagement" with reported hours and Engagementnachweise for
residents, the officers' list of reports to decide, and the public check of a certificate."""

from __future__ import annotations

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from boerse.accounts.guards import requires_login, requires_officer
from boerse.engagement import certificates, reports, schemas, services
from boerse.engagement.rules import (
    access_own_certificate,
    access_pending_report,
    access_reportable,
    pending_scope,
)
from boerse.engagement.tables import ReportStatus
from boerse.lib.flash import flash, register
from boerse.lib.forms import Form
from boerse.lib.i18n import N_
from boerse.lib.i18n import gettext as _
from boerse.lib.routing import see_other
from boerse.lib.urls import site_url

register(
    "hours_reported",
    N_("Ihre Stunden sind gemeldet. Sie zählen, sobald die Organisation sie bestätigt hat."),
)
register("hours_withdrawn", N_("Die Meldung ist zurückgezogen."))
register(
    "certificate_issued",
    N_("Ihr Engagementnachweis ist ausgestellt. Sie können ihn jetzt herunterladen."),
)
register(
    "certificate_revoked",
    N_("Der Nachweis ist widerrufen. Die Prüfung online zeigt ihn jetzt als ungültig."),
)
register("hours_decided", N_("Die Entscheidung ist gespeichert."))
register("hours_already_decided", N_("Über diese Meldung wurde schon entschieden."), "info")

STATUS_LABELS = {
    ReportStatus.PENDING.value: N_("Wartet auf Bestätigung"),
    ReportStatus.CONFIRMED.value: N_("Bestätigt"),
    ReportStatus.CORRECTED.value: N_("Mit anderen Stunden bestätigt"),
    ReportStatus.REJECTED.value: N_("Abgelehnt"),
}
PERIOD_LABELS = {
    schemas.LAST_YEAR: N_("Letztes Jahr ({year})"),
    schemas.THIS_YEAR: N_("Dieses Jahr ({year}, bis heute)"),
    schemas.CUSTOM: N_("Eigener Zeitraum"),
}


def client_ip(request: Request) -> str:
    """The connecting address as uvicorn reports it (see `accounts.ratelimit`)."""
    return request.client.host if request.client else "unknown"


class EngagementController(Controller):
    """A resident's own record; no page takes a person's id."""

    path = "/mein-engagement"
    guards = (requires_login,)

    async def _record_page(
        self, request: Request, form: Form | None = None, status_code: int = 200
    ) -> Template:
        overview = await services.overview(request.user.id)
        if form is None:
            period = schemas.LAST_YEAR if overview.has_last_year else schemas.THIS_YEAR
            form = Form(values={"period": period})
        return Template(
            template_name="engagement/record.html",
            context={
                "overview": overview,
                "form": form,
                "status_labels": STATUS_LABELS,
                "period_labels": PERIOD_LABELS,
            },
            status_code=status_code,
        )

    @get("/", name="engagement:record")
    async def record(self, request: Request) -> Template:
        return await self._record_page(request)

    def _report_page(self, choices: list, form: Form, status_code: int = 200) -> Template:
        return Template(
            template_name="engagement/report.html",
            context={"choices": choices, "form": form},
            status_code=status_code,
        )

    @get("/stunden-melden", name="engagement:report_form")
    async def report_form(self, request: Request) -> Template:
        choices = await access_reportable(request.user)
        values = {"opportunity": str(choices[0].id)} if len(choices) == 1 else {}
        return self._report_page(choices, Form(values=values))

    @post("/stunden-melden", name="engagement:report")
    async def report(self, request: Request) -> Template | Redirect:
        choices = await access_reportable(request.user)
        form = await Form.from_request(request)
        report = schemas.parse_report(form, services.today(), {c.id for c in choices})
        if report is None:
            return self._report_page(choices, form, status_code=400)
        await reports.create_report(request.user.id, report)
        return flash(
            see_other(request, "engagement:record", fragment="meldungen"), "hours_reported"
        )

    @post("/stunden/{report_id:int}/zurueckziehen", name="engagement:withdraw")
    async def withdraw(self, request: Request, report_id: FromPath[int]) -> Redirect:
        redirect = see_other(request, "engagement:record", fragment="meldungen")
        if not await reports.withdraw_report(request.user.id, report_id):
            return redirect  # decided meanwhile, or already withdrawn
        return flash(redirect, "hours_withdrawn")

    @post("/nachweis", name="engagement:issue")
    async def issue(self, request: Request) -> Template | Redirect:
        form = await Form.from_request(request)
        period = schemas.parse_period(form, services.today())
        name = request.user.display_name.strip()
        if period is not None and not name:
            form.errors["period"] = _(
                "Auf dem Nachweis steht Ihr Name, aber Ihr Konto hat noch keinen. Bitte tragen "
                "Sie ihn zuerst in Ihrem Konto ein."
            )
        if period is None or not form.ok:
            return await self._record_page(request, form, status_code=400)
        try:
            await certificates.issue(request.user.id, name, *period)
        except certificates.NothingToCertifyError:
            form.errors["period"] = _(
                "Im gewählten Zeitraum ist kein bestätigtes Engagement erfasst; ein Nachweis "
                "wäre leer. Bitte wählen Sie einen anderen Zeitraum."
            )
            return await self._record_page(request, form, status_code=400)
        return flash(
            see_other(request, "engagement:record", fragment="nachweise"), "certificate_issued"
        )

    @get(
        "/nachweise/{certificate_id:int}/engagementnachweis.pdf", name="engagement:certificate_pdf"
    )
    async def certificate_pdf(self, request: Request, certificate_id: FromPath[int]) -> Response:
        certificate = await access_own_certificate(request.user, certificate_id)
        # fpdf2 with fontTools and Pillow takes longer to import than the rest of the app:
        # loaded on the first download, not at every start of a web or worker process.
        from boerse.engagement.pdf import render_certificate

        body = render_certificate(
            certificate, site_url("engagement:verify_link", code=certificate.display_code)
        )
        filename = f"engagementnachweis-{certificate.period_start:%Y%m%d}-{certificate.period_end:%Y%m%d}.pdf"
        return Response(
            body,
            media_type="application/pdf",
            headers={
                "Content-Disposition": f'attachment; filename="{filename}"',
                "Cache-Control": "private, no-store",
            },
        )

    @post("/nachweise/{certificate_id:int}/widerrufen", name="engagement:revoke")
    async def revoke(self, request: Request, certificate_id: FromPath[int]) -> Redirect:
        await access_own_certificate(request.user, certificate_id)
        redirect = see_other(request, "engagement:record", fragment="nachweise")
        if not await certificates.revoke(request.user.id, certificate_id):
            return redirect  # revoked before
        return flash(redirect, "certificate_revoked")


class HoursReviewController(Controller):
    """The organising body's officers decide on reported hours, on a phone if need be."""

    path = "/verwaltung/stundenmeldungen"
    guards = (requires_officer,)

    @get("/", name="engagement:pending")
    async def pending(self, request: Request) -> Template:
        rows = await reports.pending_reports(pending_scope(request.user))
        return Template(template_name="engagement/pending.html", context={"reports": rows})

    def _decide_page(
        self, report: reports.PendingReport, form: Form, status_code: int = 200
    ) -> Template:
        return Template(
            template_name="engagement/decide.html",
            context={"report": report, "form": form, "decisions": schemas.DECISIONS},
            status_code=status_code,
        )

    @get("/{report_id:int}", name="engagement:decide_form")
    async def decide_form(self, request: Request, report_id: FromPath[int]) -> Template | Redirect:
        report = await access_pending_report(request.user, report_id)
        if report is None:
            return flash(see_other(request, "engagement:pending"), "hours_already_decided")
        return self._decide_page(report, Form())

    @post("/{report_id:int}", name="engagement:decide")
    async def decide(self, request: Request, report_id: FromPath[int]) -> Template | Redirect:
        report = await access_pending_report(request.user, report_id)
        redirect = see_other(request, "engagement:pending")
        if report is None:
            return flash(redirect, "hours_already_decided")
        form = await Form.from_request(request)
        decision = schemas.parse_decision(form, report.days)
        if decision is None:
            return self._decide_page(report, form, status_code=400)
        if not await reports.decide(report, decision, request.user.id):
            return flash(redirect, "hours_already_decided")
        return flash(redirect, "hours_decided")


VERIFY_STATUS = {
    certificates.VALID: 200,
    certificates.REVOKED: 200,
    certificates.UNKNOWN: 404,
    certificates.MALFORMED: 400,
    certificates.LIMITED: 429,
}


class VerifyController(Controller):
    """Anyone holding a certificate checks it here, without an account."""

    path = "/nachweis-pruefen"

    def _page(self, form: Form, result: certificates.Verification | None) -> Template:
        return Template(
            template_name="engagement/verify.html",
            context={"form": form, "result": result},
            status_code=VERIFY_STATUS[result.status] if result else 200,
        )

    async def _check(self, request: Request, text: str) -> Template:
        form = Form(values={"code": text})
        result = await certificates.check_code(text, client_ip(request))
        if result.status == certificates.MALFORMED:
            form.labels["code"] = N_("Prüfcode")
            form.errors["code"] = _(
                "Ein Prüfcode hat 16 Zeichen in vier Vierergruppen, zum Beispiel "
                "7K3M-Q9TX-2HBD-8WRN. Bitte prüfen Sie Ihre Eingabe."
            )
        return self._page(form, result)

    @get("/", name="engagement:verify_form")
    async def verify_form(self, request: Request, code: FromQuery[str] = "") -> Template:
        if code.strip():
            return await self._check(request, code)
        return self._page(Form(), None)

    @post("/", name="engagement:verify")
    async def verify(self, request: Request) -> Template:
        form = await Form.from_request(request)
        return await self._check(request, form.text("code", max_length=40))

    @get("/{code:str}", name="engagement:verify_link")
    async def verify_link(self, request: Request, code: FromPath[str]) -> Template:
        return await self._check(request, code)


CONTROLLERS = [EngagementController, HoursReviewController, VerifyController]
