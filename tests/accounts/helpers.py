"""Helpers for the accounts tests: follow the links that really arrived by email."""

from __future__ import annotations

from urllib.parse import urlsplit

from boerse.accounts.tables import User
from boerse.settings import get_settings
from tests.support.fixtures import links_in, run_worker
from tests.support.services import Mailbox, body_text


async def delivered_link(mailbox: Mailbox, address: str, path: str) -> str:
    """Runs the real worker, then returns the site-relative link to `path` from the one mail
    that reached `address` over SMTP (asserting the link is absolute, as mail clients need)."""
    await run_worker()
    messages = mailbox.to(address)
    assert len(messages) == 1, mailbox.subjects()
    links = [link for link in links_in(body_text(messages[0])) if path in link]
    assert links, body_text(messages[0])
    assert links[0].startswith(get_settings().base_url + path)
    parts = urlsplit(links[0])
    return f"{parts.path}?{parts.query}"


async def user_by_email(email: str) -> User | None:
    return await User.objects().where(User.email == email).first()
