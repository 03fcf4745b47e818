"""The admin page "Versand": who may see it, what it shows (and never shows), and retrying
failed mails until the real worker delivers them."""

from __future__ import annotations

import datetime as dt

import pytest

from boerse.accounts.tables import Role, User
from boerse.lib.db import utcnow
from boerse.operations.services import record_heartbeat
from boerse.outbox import policy
from boerse.outbox.services import wake_delivery
from boerse.outbox.tables import OutboxEmail
from boerse.settings import get_settings
from tests.operations.helpers import redis_unreachable
from tests.outbox.factories import SECRET_BODY, SECRET_SUBJECT, make_email
from tests.outbox.helpers import queue_test_email
from tests.support.factories import make_officer, make_user, sign_in
from tests.support.fixtures import run_worker
from tests.support.services import Mailbox, free_port

PAGE = "/admin/versand"
BOUNCING = "lena.schmidt@bounce.example"


@pytest.fixture
async def admin(client) -> User:
    user = await make_user(email="admin@lindenau.example", role=Role.ADMIN)
    await sign_in(client, user)
    return user


async def status_of(email_id: int) -> str:
    row = await OutboxEmail.select(OutboxEmail.status).where(OutboxEmail.id == email_id).first()
    return row["status"]


async def refused_for_good(mailbox: Mailbox, recipient: str, key: str) -> int:
    """A mail the test SMTP server refused with 550, so the worker gave up on it."""
    mailbox.refuse[recipient] = 550
    email_id = await queue_test_email(key, recipient)
    await wake_delivery()
    await run_worker()
    assert await status_of(email_id) == "failed"
    return email_id


def test_route_names(app) -> None:
    assert app.route_reverse("outbox:admin_status") == PAGE
    assert app.route_reverse("outbox:admin_retry", email_id=3) == f"{PAGE}/3/erneut-versuchen"
    assert app.route_reverse("outbox:admin_retry_failed") == f"{PAGE}/alle-erneut-versuchen"


async def test_anonymous_visitors_are_sent_to_the_login(client) -> None:
    email = await make_email("failed")
    response = await client.get(PAGE)
    assert response.status_code == 303
    assert response.headers["location"] == f"/konto/anmelden?next={PAGE}"
    retry = await client.submit(f"{PAGE}/{email.id}/erneut-versuchen")
    assert retry.status_code == 303
    assert await status_of(email.id) == "failed"


@pytest.mark.parametrize("make", [make_user, make_officer])
async def test_residents_and_officers_get_no_access(client, make) -> None:
    email = await make_email("failed")
    await sign_in(client, await make())

    assert (await client.get(PAGE)).status_code == 403
    assert (await client.submit(f"{PAGE}/{email.id}/erneut-versuchen")).status_code == 403
    assert (await client.submit(f"{PAGE}/alle-erneut-versuchen")).status_code == 403
    assert await status_of(email.id) == "failed"


async def test_page_shows_queue_workers_and_problems_but_no_address(client, admin) -> None:
    await make_email(age=dt.timedelta(minutes=4, seconds=10))
    await make_email("failed", recipient=BOUNCING, kind="survey", last_error="refused (550)")
    later = utcnow() + dt.timedelta(minutes=10)
    await make_email(recipient="max@stuck.example", attempts=3, next_attempt_at=later)
    await record_heartbeat("lindenau-1:401", "waiting_for_redis", utcnow())

    response = await client.get(PAGE)

    assert response.status_code == 200
    text = response.text
    assert '<h1 class="kern-heading-large">Versand</h1>' in text
    assert "wartet seit 4 Minuten" in text
    assert "Nicht zugestellt: 1. Hängend: 1." in text
    assert "bounce.example" in text and "stuck.example" in text and "refused (550)" in text
    assert "lindenau-1:401" in text and "wartet auf Redis" in text
    assert "etwa 2 Tage lang" in text  # the retry budget
    assert 'aria-current="page">Versand' in text
    for secret in (BOUNCING, "lena.schmidt", "max@", SECRET_SUBJECT, SECRET_BODY, "style="):
        assert secret not in text


async def test_page_works_while_redis_is_down(client, admin) -> None:
    await make_email()
    async with redis_unreachable():
        response = await client.get(PAGE)
    assert response.status_code == 200
    assert "nicht bekannt: Redis ist nicht erreichbar" in response.text


async def test_a_failed_mail_retried_by_button_is_delivered(client, admin, mailbox) -> None:
    email_id = await refused_for_good(mailbox, BOUNCING, "survey:1")
    assert BOUNCING not in (await client.get(PAGE)).text
    mailbox.refuse.clear()  # the recipient's mailbox works again

    response = await client.submit(f"{PAGE}/{email_id}/erneut-versuchen")

    assert response.status_code == 303
    assert response.headers["location"] == PAGE
    assert "Die E-Mail wird erneut versendet." in (await client.get(PAGE)).text
    await run_worker()
    assert await status_of(email_id) == "sent"
    assert [m["To"] for m in mailbox.messages] == [BOUNCING]


async def test_all_failed_mails_are_retried_with_one_button(client, admin, mailbox) -> None:
    first = await refused_for_good(mailbox, "a@bounce.example", "survey:1")
    second = await refused_for_good(mailbox, "b@bounce.example", "survey:2")
    mailbox.refuse.clear()

    response = await client.submit(f"{PAGE}/alle-erneut-versuchen")

    assert response.status_code == 303
    page = (await client.get(PAGE)).text
    assert "Die nicht zugestellten E-Mails werden erneut versendet." in page
    await run_worker()
    assert {await status_of(first), await status_of(second)} == {"sent"}
    assert sorted(m["To"] for m in mailbox.messages) == ["a@bounce.example", "b@bounce.example"]


async def test_retrying_what_needs_no_retry_says_so(client, admin) -> None:
    sent = await make_email("sent")

    await client.submit(f"{PAGE}/{sent.id}/erneut-versuchen")
    assert "Es gab nichts erneut zu versuchen" in (await client.get(PAGE)).text
    await client.submit(f"{PAGE}/alle-erneut-versuchen")
    assert "Es gibt keine nicht zugestellten E-Mails." in (await client.get(PAGE)).text
    assert await status_of(sent.id) == "sent"


async def test_retrying_a_missing_mail_is_not_found(client, admin) -> None:
    assert (await client.submit(f"{PAGE}/424242/erneut-versuchen")).status_code == 404


async def test_admin_start_page_warns_about_failed_mails(client, admin) -> None:
    assert "konnte nicht zugestellt werden" not in (await client.get("/admin")).text
    await make_email("failed")

    text = (await client.get("/admin")).text

    assert "1 E-Mail konnte nicht zugestellt werden" in text
    assert f'href="{PAGE}"' in text
    await make_email("failed")
    assert "2 E-Mails konnten nicht zugestellt werden" in (await client.get("/admin")).text


async def test_page_runs_a_fixed_number_of_queries(client, admin, count_queries) -> None:
    async def measure() -> int:
        with count_queries() as counter:
            assert (await client.get(PAGE)).status_code == 200
        return counter.count

    await make_email("failed")
    few = await measure()
    for _ in range(6):
        await make_email("failed")
        await make_email(attempts=4)
    assert await measure() == few


async def test_page_is_translated(client, admin) -> None:
    await make_email("failed")
    text = (await client.get(f"{PAGE}?lang=en")).text
    assert '<h1 class="kern-heading-large">Delivery</h1>' in text
    assert "Undelivered: 1. Stuck: 0." in text
    assert "for about 2 days" in text


async def test_a_mail_server_down_longer_than_the_budget_ends_in_a_visible_failure_that_can_be_retried(
    client, admin, mailbox, monkeypatch
) -> None:
    """The mail server is unreachable at every try: the mail waits with growing pauses,
    fails after the last try, shows on the page, and goes out once retried."""
    email_id = await queue_test_email("survey:9", "mara@example.org")
    monkeypatch.setenv("SMTP_PORT", str(free_port()))
    get_settings.cache_clear()
    pauses = []
    for _ in range(policy.MAX_ATTEMPTS):
        await wake_delivery()
        await run_worker()
        row = await OutboxEmail.objects().where(OutboxEmail.id == email_id).first()
        if row.status == "failed":
            break
        pauses.append(row.next_attempt_at - utcnow())
        await OutboxEmail.update({OutboxEmail.next_attempt_at: utcnow()}).where(
            OutboxEmail.id == email_id
        )
    monkeypatch.undo()
    get_settings.cache_clear()

    assert row.status == "failed" and row.attempts == policy.MAX_ATTEMPTS
    assert len(pauses) == policy.MAX_ATTEMPTS - 1
    assert pauses == sorted(pauses) and pauses[-1] <= policy.LONGEST_PAUSE
    assert "SMTPConnectError" in (await client.get(PAGE)).text
    await client.submit(f"{PAGE}/{email_id}/erneut-versuchen")
    await run_worker()
    assert await status_of(email_id) == "sent"
    assert [m["To"] for m in mailbox.messages] == ["mara@example.org"]
