"""Sending emails: over one reused SMTP connection (aiosmtplib) in production, into var/mail/
when embedded.

Messages are built with the stdlib's `email.mime` classes (the compat32 policy): for our
plain text + HTML mails that is several times faster than `EmailMessage` with the default
policy (2.6 ms here), which matters when a worker sends thousands a minute."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from email.charset import BASE64, Charset
from email.header import Header
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import Compat32
from email.utils import format_datetime, formataddr, parseaddr
from functools import lru_cache
from pathlib import Path
from typing import Any

import aiosmtplib
from aiosmtplib.response import SMTPResponse
from aiosmtplib.typing import Default

from boerse.settings import Settings

UTF8 = Charset("utf-8")
UTF8.header_encoding = BASE64
UTF8.body_encoding = BASE64


class _Unfolded(Compat32):
    """Writes ASCII header values as they are. Ours are ASCII already (subject and sender
    are RFC 2047-encoded once), and compat32 would re-encode every header again, which
    costs ~0.1 ms each: a tenth of a mail's building time."""

    def fold(self, name: str, value: Any) -> str:
        if isinstance(value, str) and value.isascii():
            return f"{name}: {value}{self.linesep}"
        return super().fold(name, value)

    def fold_binary(self, name: str, value: Any) -> bytes:
        if isinstance(value, str) and value.isascii():
            return f"{name}: {value}{self.linesep}".encode("ascii")
        return super().fold_binary(name, value)


UNFOLDED = _Unfolded()

# aiosmtplib's timeout applies to each command; a send that hangs longer is a failed send.
SMTP_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class Mail:
    recipient: str
    subject: str
    body_text: str
    body_html: str = ""
    ics: str = ""
    message_id: str = ""
    """Set by the outbox (stable per row); a fresh one is made when empty."""
    headers: tuple[tuple[str, str], ...] = ()
    """Further headers (names from `EXTRA_HEADERS`), written after the standard ones."""


EXTRA_HEADERS = frozenset({"List-Unsubscribe", "List-Unsubscribe-Post"})
"""The further headers a mail may carry. A fixed list, so that no caller can set From, To or
anything else a recipient's mail program trusts."""


def check_headers(headers: dict[str, str]) -> dict[str, str]:
    """The headers as they may be sent; raises ValueError for a name not in `EXTRA_HEADERS`
    or a value that is not printable ASCII on one line (a line break would start a header of
    the caller's choosing)."""
    for name, value in headers.items():
        if name not in EXTRA_HEADERS:
            raise ValueError(f"header {name!r} is not allowed")
        if not value.isascii() or not value.isprintable():
            raise ValueError(f"header {name!r} must be printable ASCII on one line")
    return headers


# Problems of the server or our configuration, not of one message: every mail has to wait.
# A refused sender belongs here too (a wrong MAIL_FROM is fixed once, then all can go).
SERVER_PROBLEMS = (
    aiosmtplib.SMTPConnectError,
    aiosmtplib.SMTPServerDisconnected,
    aiosmtplib.SMTPTimeoutError,
    aiosmtplib.SMTPHeloError,
    aiosmtplib.SMTPAuthenticationError,
    aiosmtplib.SMTPSenderRefused,
    aiosmtplib.SMTPNotSupported,
    OSError,  # TimeoutError included
)


class PermanentMailError(Exception):
    """The server refused this message for good (5xx): sending it again cannot help."""


class MailConnectionError(Exception):
    """The server could not be reached or dropped the connection: every mail waits."""


def sender_domain(sender: str) -> str:
    """The domain of MAIL_FROM, used for Message-IDs (`mitmach-boerse.example` if none)."""
    address = parseaddr(sender)[1]
    return address.rpartition("@")[2] or "mitmach-boerse.example"


def new_message_id(sender: str) -> str:
    """Short enough to stay on one header line (a folded id trips up some clients)."""
    return f"<{uuid.uuid4().hex}@{sender_domain(sender)}>"


def build_message(mail: Mail, sender: str) -> bytes:
    """The RFC 5322 message: text with an HTML alternative, the calendar file attached.
    Bodies and the subject are base64 (C-fast, unlike quoted-printable); headers are
    written unfolded except the subject, which `Header` folds once, and every boundary
    contains "_", which base64 never does, so no body has to be searched for it."""
    body: MIMEBase = MIMEText(mail.body_text, "plain", UTF8)
    if mail.body_html:
        body = _multipart("alternative", body, MIMEText(mail.body_html, "html", UTF8))
    if mail.ics:
        attachment = MIMEText(mail.ics, "calendar", UTF8)
        attachment.add_header("Content-Disposition", "attachment", filename="termin.ics")
        body = _multipart("mixed", body, attachment)
    body["From"] = _encoded_sender(sender)
    body["To"] = mail.recipient
    body["Subject"] = _encoded_subject(mail.subject)
    body["Date"] = format_datetime(dt.datetime.now(tz=dt.UTC))
    body["Message-ID"] = mail.message_id or new_message_id(sender)
    for name, value in mail.headers:
        body[name] = value
    return body.as_bytes(policy=UNFOLDED)


def _multipart(subtype: str, *parts: MIMEBase) -> MIMEMultipart:
    return MIMEMultipart(subtype, boundary=f"=_{uuid.uuid4().hex}", _subparts=parts)


@lru_cache(maxsize=256)
def _encoded_subject(subject: str) -> str:
    """A fan-out sends one subject thousands of times; encoding it is the costliest header."""
    return Header(subject, UTF8).encode()


@lru_cache(maxsize=4)
def _encoded_sender(sender: str) -> str:
    return formataddr(parseaddr(sender), charset="utf-8")


@lru_cache(maxsize=4)
def _envelope_sender(sender: str) -> str:
    return parseaddr(sender)[1]


Accepted = Callable[[], Awaitable[None]]


async def _nothing() -> None:
    return None


class AcceptedNotRecordedError(Exception):
    """The server took the mail, but recording that failed: it must not count as unsent."""


class _RecordingSMTP(aiosmtplib.SMTP):
    """Runs the server's acceptance of a mail (the DATA phase) and our recording of it
    under one lock shared by all connections of a delivery pass. So at any moment at most
    one mail is accepted but not yet recorded: a worker killed then sends at most that one
    mail twice, however many connections it had open."""

    def __init__(self, accept_lock: asyncio.Lock, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.accept_lock = accept_lock
        self.on_accepted: Accepted = _nothing

    async def data(
        self,
        message: str | bytes,
        timeout: Any = Default.token,  # noqa: ASYNC109 - aiosmtplib's own signature
    ) -> SMTPResponse:
        async with self.accept_lock:
            response = await super().data(message, timeout=timeout)
            try:
                await asyncio.shield(self.on_accepted())
            except Exception as error:
                raise AcceptedNotRecordedError(type(error).__name__) from error
            return response


class MailTransport:
    """One SMTP connection for many mails, opened on the first send and reopened once when
    the server closed it in between (servers drop idle connections or cap their mails)."""

    def __init__(
        self,
        settings: Settings,
        timeout: float = SMTP_TIMEOUT_S,
        accept_lock: asyncio.Lock | None = None,
    ) -> None:
        self.settings = settings
        self.timeout = timeout
        """Seconds for each SMTP command (aiosmtplib's timeout)."""
        self.accept_lock = accept_lock or asyncio.Lock()
        self._smtp: _RecordingSMTP | None = None

    async def send(self, mail: Mail, accepted: Accepted = _nothing) -> None:
        """Returns once the server accepted the mail and `accepted` has run (under the
        transport's accept lock). Raises PermanentMailError when the server refused it,
        MailConnectionError when it cannot be reached, AcceptedNotRecordedError when
        `accepted` failed, and aiosmtplib.SMTPException for a temporary refusal."""
        message = build_message(mail, self.settings.mail_from)
        if not self.settings.smtp_host:
            async with self.accept_lock:
                _write_to_outbox_dir(message, self.settings.mail_outbox_dir)
                await asyncio.shield(accepted())
            return
        sender = _envelope_sender(self.settings.mail_from)
        reusing = self._smtp is not None
        try:
            await self._send_once(sender, mail.recipient, message, accepted)
        except MailConnectionError:
            if not reusing:
                raise
            # Servers drop idle connections or cap mails per connection: one fresh try.
            await self._send_once(sender, mail.recipient, message, accepted)

    async def _send_once(
        self, sender: str, recipient: str, message: bytes, accepted: Accepted
    ) -> None:
        try:
            smtp = await self._connected()
            smtp.on_accepted = accepted
            await smtp.sendmail(sender, [recipient], message)
        except aiosmtplib.SMTPRecipientsRefused as error:
            codes = [refused.code for refused in error.recipients]
            if all(code >= 500 for code in codes):
                raise PermanentMailError(f"recipient refused ({codes[0]})") from error
            raise
        except SERVER_PROBLEMS as error:
            await self.close()
            raise MailConnectionError(type(error).__name__) from error
        except aiosmtplib.SMTPResponseException as error:
            if error.code >= 500:
                raise PermanentMailError(f"refused ({error.code})") from error
            raise

    async def _connected(self) -> _RecordingSMTP:
        if self._smtp is not None and self._smtp.is_connected:
            return self._smtp
        settings = self.settings
        self._smtp = _RecordingSMTP(
            self.accept_lock,
            hostname=settings.smtp_host,
            port=settings.smtp_port,
            username=settings.smtp_user or None,
            password=settings.smtp_password or None,
            start_tls=settings.smtp_starttls,
            use_tls=settings.smtp_tls,
            timeout=self.timeout,
        )
        await self._smtp.connect()
        return self._smtp

    async def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is None or not smtp.is_connected:
            return
        try:
            await smtp.quit()
        except (aiosmtplib.SMTPException, OSError):
            smtp.close()


def _write_to_outbox_dir(message: bytes, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(tz=dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    (folder / f"{stamp}.eml").write_bytes(message)
