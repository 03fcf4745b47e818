"""The admin page "Versand": is mail going out, and trying failed mails again."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from boerse.accounts.guards import requires_admin
from boerse.lib.flash import flash, register
from boerse.lib.i18n import N_
from boerse.outbox import monitoring, rules

register("outbox_retried", N_("Die E-Mail wird erneut versendet."))
register("outbox_retried_failed", N_("Die nicht zugestellten E-Mails werden erneut versendet."))
register(
    "outbox_nothing_to_retry",
    N_("Es gab nichts erneut zu versuchen: Die E-Mail ist unterwegs oder zugestellt."),
    "info",
)
register("outbox_no_failed", N_("Es gibt keine nicht zugestellten E-Mails."), "info")


def _back(request: Request, key: str) -> Redirect:
    url = request.app.route_reverse("outbox:admin_status")
    return flash(Redirect(url, status_code=303), key)


class DeliveryAdminController(Controller):
    path = "/admin/versand"
    guards = [requires_admin]  # noqa: RUF012 - Litestar reads this class attribute

    @get("/", name="outbox:admin_status")
    async def status(self) -> Template:
        overview = await monitoring.delivery_overview()
        return Template(template_name="outbox/admin_status.html", context={"overview": overview})

    @post("/{email_id:int}/erneut-versuchen", name="outbox:admin_retry")
    async def retry(self, request: Request, email_id: FromPath[int]) -> Redirect:
        email = await rules.access_outbox_email(request.user, email_id)
        retried = await monitoring.retry_email(email.id)
        return _back(request, "outbox_retried" if retried else "outbox_nothing_to_retry")

    @post("/alle-erneut-versuchen", name="outbox:admin_retry_failed")
    async def retry_failed(self, request: Request) -> Redirect:
        retried = await monitoring.retry_failed()
        return _back(request, "outbox_retried_failed" if retried else "outbox_no_failed")


CONTROLLERS = [DeliveryAdminController]
