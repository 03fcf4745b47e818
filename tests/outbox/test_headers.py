"""Further mail headers (List-Unsubscribe): stored with the mail, sent over SMTP and written
to var/mail the same way; only the allowed names, and never a value with a line break."""

from __future__ import annotations

import dataclasses
from email import message_from_bytes

import pytest

from boerse.lib.db import write_transaction
from boerse.lib.mail import Mail, MailTransport
from boerse.outbox import services
from boerse.outbox.tables import OutboxEmail
from boerse.settings import get_settings
from tests.outbox.helpers import CONTEXT
from tests.support.fixtures import run_worker
from tests.support.services import Mailbox

URL = "https://boerse.example/nachrichten/abbestellen/7?token=abc"


async def _queue(headers: dict[str, str]) -> int:
    async with write_transaction():
        queued = await services.queue_email(
            "test:headers",
            "anna@example.org",
            "Mit Kopfzeilen",
            "test_mail",
            CONTEXT,
            headers=headers,
        )
    return queued.id


async def test_unsubscribe_headers_are_stored_and_arrive_over_smtp(mailbox: Mailbox) -> None:
    email_id = await _queue(services.unsubscribe_headers(URL))
    row = await OutboxEmail.select(OutboxEmail.headers).where(OutboxEmail.id == email_id).first()
    assert "List-Unsubscribe" in row["headers"]
    await services.wake_delivery()
    assert await run_worker() == 1
    [mail] = mailbox.messages
    assert mail["List-Unsubscribe"] == f"<{URL}>"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


async def test_a_mail_without_further_headers_has_none(mailbox: Mailbox) -> None:
    await _queue({})
    await services.wake_delivery()
    assert await run_worker() == 1
    assert mailbox.messages[0]["List-Unsubscribe"] is None


async def test_the_mail_folder_gets_the_same_headers(tmp_path) -> None:
    settings = dataclasses.replace(get_settings(), smtp_host="", var_dir=tmp_path)
    transport = MailTransport(settings)
    headers = tuple(services.unsubscribe_headers(URL).items())
    await transport.send(Mail("anna@example.org", "Ordner", "Text", headers=headers))
    [written] = list((tmp_path / "mail").glob("*.eml"))
    message = message_from_bytes(written.read_bytes())
    assert message["List-Unsubscribe"] == f"<{URL}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


@pytest.mark.parametrize(
    "headers",
    [
        {"Bcc": "everyone@example.org"},
        {"List-Unsubscribe": f"<{URL}>\r\nBcc: everyone@example.org"},
        {"List-Unsubscribe": "<https://börse.example/x>"},
    ],
)
async def test_other_names_and_line_breaks_are_refused_and_nothing_is_queued(headers) -> None:
    with pytest.raises(ValueError):
        await _queue(headers)
    assert await OutboxEmail.count() == 0
