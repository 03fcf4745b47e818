"""Queries of the admin page "Versand": queue depth, hourly counts, mails in trouble, retries."""

from __future__ import annotations

import dataclasses
import datetime as dt

from boerse.lib import queue
from boerse.lib.db import utcnow
from boerse.outbox import monitoring, policy
from boerse.outbox.tables import OutboxEmail
from tests.operations.helpers import redis_unreachable
from tests.outbox.factories import SECRET_BODY, SECRET_SUBJECT, make_email

MINUTE = dt.timedelta(minutes=1)


def lease_left() -> dict[str, dt.datetime]:
    """A lease a live worker still holds."""
    return {"lease_until": utcnow() + dt.timedelta(hours=1)}


async def row_of(email: OutboxEmail) -> OutboxEmail:
    return await OutboxEmail.objects().where(OutboxEmail.id == email.id).first()


async def test_queue_depth_counts_due_waiting_and_sending() -> None:
    await make_email(age=4 * MINUTE)
    await make_email(age=MINUTE)
    await make_email(attempts=1, next_attempt_at=utcnow() + 5 * MINUTE)
    await make_email("sending", lease_until=utcnow() + MINUTE)
    await make_email("sent")
    await make_email("failed")

    overview = await monitoring.delivery_overview()

    depth = overview.depth
    assert (depth.due, depth.waiting, depth.sending, depth.queued_jobs) == (2, 1, 1, 0)
    assert 4 * MINUTE <= depth.oldest_due_for < 5 * MINUTE
    assert (overview.failed, overview.stuck) == (1, 0)
    assert overview.retry_budget == policy.retry_budget()


async def test_queue_depth_counts_the_jobs_waiting_in_redis() -> None:
    assert await queue.enqueue("deliver_outbox")
    assert await queue.enqueue("sweep_outbox")
    assert (await monitoring.delivery_overview()).depth.queued_jobs == 2


async def test_nothing_due_has_no_oldest_age() -> None:
    await make_email("sent")
    assert (await monitoring.delivery_overview()).depth.oldest_due_for is None


async def test_the_page_data_comes_without_redis() -> None:
    await make_email()
    async with redis_unreachable():
        overview = await monitoring.delivery_overview()
    assert (overview.depth.due, overview.depth.queued_jobs) == (1, None)


async def test_failed_and_stuck_mails_are_listed_newest_first() -> None:
    failed = await make_email("failed", recipient="a@bounce.example", kind="survey", attempts=1)
    await make_email(attempts=2)  # two tries: not stuck yet
    tried_thrice = await make_email(attempts=3, next_attempt_at=utcnow() + 10 * MINUTE)
    await make_email("sending", attempts=1, **lease_left())  # a worker holds it
    abandoned = await make_email("sending", attempts=1, lease_until=utcnow() - MINUTE)
    await make_email("sent", attempts=5)

    overview = await monitoring.delivery_overview()

    assert [email.id for email in overview.problems] == [abandoned.id, tried_thrice.id, failed.id]
    assert (overview.failed, overview.stuck) == (1, 2)
    first_failed = overview.problems[-1]
    assert (first_failed.kind, first_failed.recipient_domain, first_failed.failed) == (
        "survey",
        "bounce.example",
        True,
    )
    assert overview.problems[1].next_attempt_at == tried_thrice.next_attempt_at
    assert overview.problems[0].next_attempt_at is None  # sending: no next attempt planned


async def test_listed_mails_carry_no_address_subject_or_body() -> None:
    await make_email("failed", recipient="lena.schmidt@example.org", last_error="refused (550)")

    (email,) = (await monitoring.delivery_overview()).problems

    values = [str(value) for value in dataclasses.asdict(email).values()]
    assert "example.org" in values
    assert not any("@" in value or "lena" in value for value in values)
    assert not any(SECRET_SUBJECT in value or SECRET_BODY in value for value in values)


async def test_sent_and_failed_are_counted_per_hour_for_a_day() -> None:
    now = utcnow()
    await make_email("sent", sent_at=now - dt.timedelta(hours=1))
    await make_email("sent", sent_at=now - dt.timedelta(hours=3))
    await make_email("sent", sent_at=now - dt.timedelta(hours=3, minutes=1))
    await make_email("sent", sent_at=now - dt.timedelta(hours=25))  # too old
    await make_email("failed", failed_at=now - dt.timedelta(hours=2), age=dt.timedelta(hours=3))
    await make_email("failed", failed_at=now - dt.timedelta(hours=5), age=dt.timedelta(days=2))

    hours = (await monitoring.delivery_overview(now)).hours

    def hour_of(ago: dt.timedelta) -> dt.datetime:
        return (now - ago).replace(minute=0, second=0, microsecond=0)

    assert len(hours) == 24
    assert hours[-1].hour == hour_of(dt.timedelta(0))
    assert hours[0].hour == hour_of(dt.timedelta(hours=23))
    sent = {row.hour: row.sent for row in hours if row.sent}
    failed = {row.hour: row.failed for row in hours if row.failed}
    expected_sent: dict[dt.datetime, int] = {}
    for ago in (dt.timedelta(hours=1), dt.timedelta(hours=3), dt.timedelta(hours=3, minutes=1)):
        expected_sent[hour_of(ago)] = expected_sent.get(hour_of(ago), 0) + 1
    assert sent == expected_sent
    assert failed == {hour_of(dt.timedelta(hours=2)): 1, hour_of(dt.timedelta(hours=5)): 1}


async def test_retrying_a_failed_mail_starts_it_afresh_and_wakes_a_worker() -> None:
    email = await make_email("failed", attempts=14, last_error="refused (550)")

    assert await monitoring.retry_email(email.id)

    row = await row_of(email)
    assert (row.status, row.attempts, row.lease_until, row.claim_token) == ("pending", 0, None, "")
    assert utcnow() - row.next_attempt_at < MINUTE
    assert await queue.queued_job_count() == 1


async def test_an_abandoned_claim_can_be_retried() -> None:
    email = await make_email(
        "sending", attempts=2, lease_until=utcnow() - MINUTE, claim_token="dead-worker"
    )
    assert await monitoring.retry_email(email.id)
    assert (await row_of(email)).status == "pending"


async def test_mails_in_no_trouble_are_not_retried() -> None:
    sent = await make_email("sent", attempts=1)
    held = await make_email("sending", attempts=1, claim_token="busy", **lease_left())
    fresh = await make_email(attempts=1, next_attempt_at=utcnow() + MINUTE)

    for email in (sent, held, fresh):
        assert not await monitoring.retry_email(email.id)

    assert (await row_of(sent)).status == "sent"
    assert ((await row_of(held)).status, (await row_of(held)).claim_token) == ("sending", "busy")
    assert (await row_of(fresh)).attempts == 1
    assert await queue.queued_job_count() == 0


async def test_retry_failed_takes_every_failed_mail_and_nothing_else() -> None:
    first = await make_email("failed", attempts=14)
    second = await make_email("failed", attempts=1)
    stuck = await make_email(attempts=4, next_attempt_at=utcnow() + MINUTE)

    assert await monitoring.retry_failed() == 2

    assert {(await row_of(e)).status for e in (first, second)} == {"pending"}
    assert (await row_of(stuck)).attempts == 4
    assert await monitoring.retry_failed() == 0
    assert await monitoring.failed_count() == 0


async def test_summary_of_one_mail() -> None:
    email = await make_email("failed", recipient="x@mail.example", kind="waitlist_promoted")
    summary = await monitoring.email_summary(email.id)
    assert (summary.kind, summary.recipient_domain) == ("waitlist_promoted", "mail.example")
    assert await monitoring.email_summary(email.id + 1000) is None


async def test_overview_runs_a_fixed_number_of_queries(count_queries) -> None:
    async def measure() -> int:
        with count_queries() as counter:
            await monitoring.delivery_overview()
        return counter.count

    await make_email("failed")
    await make_email("sent", sent_at=utcnow())
    few = await measure()
    for _ in range(8):
        await make_email("failed")
        await make_email(attempts=5)
        await make_email("sent", sent_at=utcnow() - dt.timedelta(hours=2))
    assert await measure() == few
