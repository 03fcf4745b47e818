"""The reminder the day before: once per place, however often the cron job runs."""

from __future__ import annotations

import datetime as dt

from boerse.opportunities import signups
from boerse.opportunities.jobs import CRON_JOBS, send_session_reminders
from boerse.opportunities.tables import OpportunityStatus, SignUp
from tests.opportunities.test_signups import ics_attachment
from tests.support.factories import make_opportunity, make_organisation, make_session, make_user
from tests.support.fixtures import run_worker
from tests.support.services import Mailbox, body_text
from worker.settings import WorkerSettings


async def dated(starts_in: dt.timedelta, capacity: int = 5, title: str = "Lesepaten", **fields):
    opportunity = await make_opportunity(await make_organisation(), title=title, **fields)
    return await make_session(opportunity, starts_in=starts_in, capacity=capacity)


async def test_reminder_job_twice_sends_one_email(mailbox: Mailbox) -> None:
    tomorrow = await dated(dt.timedelta(hours=20))
    anna = await make_user(email="anna@example.org", display_name="Anna")
    await signups.sign_up(anna.id, tomorrow.id)
    await run_worker()
    mailbox.clear()

    assert await send_session_reminders({}) == 1
    assert await send_session_reminders({}) == 0
    await run_worker()

    assert mailbox.subjects() == ["Erinnerung an Ihren Termin: Lesepaten"]
    text = body_text(mailbox.messages[0])
    assert "Guten Tag Anna" in text
    assert "/meine-termine" in text
    # The reminder carries the date for the calendar too, with the sign-up's UID.
    (event,) = ics_attachment(mailbox.messages[0]).walk("VEVENT")
    signup_id = (await SignUp.select(SignUp.id).where(SignUp.user == anna.id).first())["id"]
    assert str(event["UID"]).startswith(f"signup-{signup_id}@")


async def test_only_places_within_the_next_day_are_reminded(mailbox: Mailbox) -> None:
    soon = await dated(dt.timedelta(hours=5), capacity=1, title="Bald")
    later = await dated(dt.timedelta(days=3), title="Später")
    started = await dated(dt.timedelta(hours=-1), title="Begonnen")
    closed = await dated(
        dt.timedelta(hours=5), title="Geschlossen", status=OpportunityStatus.CLOSED
    )
    holder = await make_user(email="platz@example.org")
    waiting = await make_user(email="warte@example.org")
    cancelled = await make_user(email="abgesagt@example.org")
    await signups.sign_up(holder.id, soon.id)
    await signups.sign_up(waiting.id, soon.id)
    await signups.sign_up(holder.id, later.id)
    await signups.sign_up(cancelled.id, later.id)
    await signups.cancel(cancelled.id, later.id)
    # Places kept from before the session began or the offer was closed: no reminder.
    await SignUp.insert(
        SignUp(session=started.id, user=holder.id, status="registered"),
        SignUp(session=closed.id, user=holder.id, status="registered"),
    )
    await run_worker()
    mailbox.clear()

    assert await send_session_reminders({}) == 1
    await run_worker()

    assert mailbox.subjects() == ["Erinnerung an Ihren Termin: Bald"]
    assert mailbox.messages[0]["To"] == "platz@example.org"


def test_the_worker_runs_the_reminder_every_quarter_hour() -> None:
    [job] = [cron for cron in CRON_JOBS if cron.coroutine is send_session_reminders]
    assert job.minute == {0, 15, 30, 45}
    assert any(cron.coroutine is send_session_reminders for cron in WorkerSettings.cron_jobs)
