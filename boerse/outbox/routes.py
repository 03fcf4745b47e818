"""The development mailbox: lists mails the embedded setup wrote instead of sending them."""

from __future__ import annotations

from litestar import Controller, get
from litestar.exceptions import NotFoundException
from litestar.response import Template

from boerse.outbox.services import recent_emails
from boerse.settings import get_settings


class DevMailController(Controller):
    path = "/dev/mail"

    @get("/", name="outbox:dev_mail")
    async def mailbox(self) -> Template:
        if not get_settings().dev_mode:
            raise NotFoundException()
        return Template(
            template_name="outbox/dev_mail.html", context={"emails": await recent_emails()}
        )


CONTROLLERS = [DevMailController]
