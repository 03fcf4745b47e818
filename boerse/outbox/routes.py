"""The development mailbox: lists mails the embedded setup wrote instead of sending them."""

from __future__ import annotations

from litestar import Controller, Request, get
from litestar.response import Template

from boerse.outbox.rules import access_dev_mailbox
from boerse.outbox.services import recent_emails
from boerse.settings import get_settings


class DevMailController(Controller):
    path = "/dev/mail"

    @get("/", name="outbox:dev_mail")
    async def mailbox(self, request: Request) -> Template:
        client = request.client.host if request.client else ""
        access_dev_mailbox(get_settings(), client, request.headers)
        return Template(
            template_name="outbox/dev_mail.html", context={"emails": await recent_emails()}
        )


CONTROLLERS = [DevMailController]
