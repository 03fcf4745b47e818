"""Access to one outbox mail: administrators only, and a missing mail is a 404."""

from __future__ import annotations

import pytest
from litestar.exceptions import NotFoundException, PermissionDeniedException

from boerse.accounts.auth import CurrentUser
from boerse.outbox.rules import access_outbox_email
from tests.outbox.factories import make_email


def person(role: str) -> CurrentUser:
    return CurrentUser(7, "x@lindenau.example", "X", role, 1, True)


@pytest.mark.parametrize("user", [None, person("resident"), person("officer")])
async def test_only_administrators_may_access_a_mail(user) -> None:
    email = await make_email("failed")
    with pytest.raises(PermissionDeniedException):
        await access_outbox_email(user, email.id)


async def test_others_cannot_tell_a_missing_mail_from_a_forbidden_one() -> None:
    with pytest.raises(PermissionDeniedException):
        await access_outbox_email(person("officer"), 424242)


async def test_a_missing_mail_is_not_found() -> None:
    with pytest.raises(NotFoundException):
        await access_outbox_email(person("admin"), 424242)


async def test_an_administrator_gets_the_summary() -> None:
    email = await make_email("failed", recipient="anna@post.example")
    summary = await access_outbox_email(person("admin"), email.id)
    assert (summary.id, summary.recipient_domain) == (email.id, "post.example")
