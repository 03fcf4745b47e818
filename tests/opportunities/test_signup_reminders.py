"""Reminder timing per offer: the day before (as always) and/or two hours before, each
once per sign-up however often the job runs, none when the offer switched both off; a
group's sign-up gets one mail."""

from __future__ import annotations

import datetime as dt

import pytest

from boerse.lib.formatting import TOWN_TIMEZONE, time_short
from boerse.opportunities.jobs import CRON_JOBS, send_session_reminders
from boerse.opportunities.signups import queue_reminders, reminder_due
from boerse.opportunities.tables import OpportunitySession, SignUp, SignUpStatus
from boerse.outbox.tables import OutboxEmail
from tests.support.factories import make_opportunity, make_organisation, make_session, make_user
from tests.support.fixtures import run_worker
from tests.support.services import Mailbox, body_text

NOW = dt.datetime(2026, 6, 10, 8, 0, tzinfo=dt.UTC)
H = dt.timedelta(hours=1)


@pytest.mark.parametrize(
    ("lead", "day_before", "two_hours", "due"),
    [
        (25 * H, True, True, None),
        (23 * H, True, False, "reminder"),
        (23 * H, True, True, "reminder"),
        (23 * H, False, True, None),
        (1.5 * H, True, False, "reminder"),  # as before: within a day
        (1.5 * H, True, True, "reminder2h"),  # one mail, not two, so close to the start
        (1.5 * H, False, True, "reminder2h"),
        (1.5 * H, False, False, None),
        (-0.1 * H, True, True, None),  # begun
    ],
)
def test_which_reminder_is_due(lead, day_before, two_hours, due) -> None:
    assert reminder_due(NOW + lead, NOW, day_before=day_before, two_hours=two_hours) == due


async def _place(title: str, starts_in: dt.timedelta, companions: int = 0, **options):
    opportunity = await make_opportunity(await make_organisation(), title=title, **options)
    session = await make_session(opportunity, starts_in=starts_in)
    person = await make_user(email=f"{title.lower()}@example.org", display_name="Anna")
    await SignUp(
        session=session.id,
        user=person.id,
        status=SignUpStatus.REGISTERED.value,
        companions=companions,
    ).save()
    return session


async def test_both_reminders_each_once(mailbox: Mailbox) -> None:
    session = await _place("Lesepaten", dt.timedelta(hours=20), remind_two_hours=True)
    assert await send_session_reminders({}) == 1
    assert await send_session_reminders({}) == 0
    await run_worker()
    assert mailbox.subjects() == ["Erinnerung an Ihren Termin: Lesepaten"]
    mailbox.clear()

    two_hours_before = session.starts_at - dt.timedelta(minutes=110)
    assert await queue_reminders(two_hours_before) == 1
    assert await queue_reminders(two_hours_before + dt.timedelta(minutes=15)) == 0
    await run_worker()
    assert mailbox.subjects() == ["Heute: Lesepaten"]
    text = body_text(mailbox.messages[0])
    assert f"Ihr Termin beginnt heute um {time_short(session.starts_at)} Uhr" in text
    assert "/meine-termine" in text or "/anmeldung/" in text
    keys = {row["dedupe_key"] for row in await OutboxEmail.select(OutboxEmail.dedupe_key)}
    assert {key.split(":")[0] for key in keys} == {"reminder", "reminder2h"}


async def test_switched_off_reminders_are_not_sent(mailbox: Mailbox) -> None:
    silent = await _place("Still", dt.timedelta(hours=20), remind_day_before=False)
    late = await _place(
        "Spaet", dt.timedelta(hours=20), remind_day_before=False, remind_two_hours=True
    )
    assert await send_session_reminders({}) == 0
    assert await queue_reminders(silent.starts_at - H) == 1  # only the two-hours one of "Spaet"
    await run_worker()
    assert [m["To"] for m in mailbox.messages] == ["spaet@example.org"]
    assert await queue_reminders(late.starts_at - dt.timedelta(minutes=30)) == 0


async def test_a_place_reminded_before_this_change_is_not_reminded_again(mailbox: Mailbox) -> None:
    """Places reminded by the old job hold `reminder:<id>`: the day-before key stayed."""
    await _place("Alt", dt.timedelta(hours=10))
    signup_id = (await SignUp.select(SignUp.id).first())["id"]
    await OutboxEmail(
        dedupe_key=f"reminder:{signup_id}", recipient="alt@example.org", subject="x", body_text="x"
    ).save()
    assert await send_session_reminders({}) == 0


async def test_a_group_gets_one_mail(mailbox: Mailbox) -> None:
    await _place("Gruppe", dt.timedelta(hours=5), companions=2)
    assert await send_session_reminders({}) == 1
    await run_worker()
    assert [m["To"] for m in mailbox.messages] == ["gruppe@example.org"]


async def test_just_after_midnight_the_two_hours_reminder_does_not_say_today(
    mailbox: Mailbox,
) -> None:
    session = await _place("Nacht", dt.timedelta(days=1), remind_two_hours=True)
    tomorrow = (dt.datetime.now(TOWN_TIMEZONE) + dt.timedelta(days=1)).date()
    starts = dt.datetime.combine(tomorrow, dt.time(0, 30), TOWN_TIMEZONE).astimezone(dt.UTC)
    await OpportunitySession.update(
        {OpportunitySession.starts_at: starts, OpportunitySession.ends_at: starts + 2 * H}
    ).where(OpportunitySession.id == session.id)
    assert await queue_reminders(starts - H) == 1  # 23:30 the evening before
    await run_worker()
    assert "Ihr Termin beginnt bald, um 00:30 Uhr" in body_text(mailbox.messages[0])


def test_the_job_runs_often_enough_for_the_two_hours_window() -> None:
    [job] = [cron for cron in CRON_JOBS if cron.coroutine is send_session_reminders]
    minutes = sorted(job.minute)
    gaps = [b - a for a, b in zip(minutes, [*minutes[1:], minutes[0] + 60], strict=True)]
    assert max(gaps) <= 15  # sent at least 1 h 45 min before the start
