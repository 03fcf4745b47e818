"""Sending one email: over SMTP (aiosmtplib) in production, into var/mail/ when embedded."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

import aiosmtplib

from boerse.settings import Settings


@dataclass(frozen=True)
class Mail:
    recipient: str
    subject: str
    body_text: str
    body_html: str = ""
    ics: str = ""


def build_message(mail: Mail, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.recipient
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(dt.datetime.now(tz=dt.UTC))
    message["Message-ID"] = make_msgid(domain="mitmach-boerse")
    message.set_content(mail.body_text)
    if mail.body_html:
        message.add_alternative(mail.body_html, subtype="html")
    if mail.ics:
        message.add_attachment(
            mail.ics.encode(), maintype="text", subtype="calendar", filename="termin.ics"
        )
    return message


async def send(mail: Mail, settings: Settings) -> None:
    """Raises on failure so the calling job can retry; never logs addresses or content."""
    message = build_message(mail, settings.mail_from)
    if not settings.smtp_host:
        _write_to_outbox_dir(message, settings.mail_outbox_dir)
        return
    await aiosmtplib.send(
        message,
        hostname=settings.smtp_host,
        port=settings.smtp_port,
        username=settings.smtp_user or None,
        password=settings.smtp_password or None,
        start_tls=settings.smtp_starttls,
        use_tls=settings.smtp_tls,
        timeout=20,
    )


def _write_to_outbox_dir(message: EmailMessage, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(tz=dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    (folder / f"{stamp}.eml").write_bytes(bytes(message))
