"""The officers' daily sign-up summary: new sign-ups and cancellations of the last day on
their organisation's dates, from seven in the morning, once a day, nothing on a quiet day,
only for those who switched it on."""

from __future__ import annotations

import datetime as dt

import httpx

from boerse.accounts.tables import User
from boerse.lib.db import utcnow
from boerse.lib.formatting import TOWN_TIMEZONE
from boerse.messages.jobs import CRON_JOBS, send_signup_summaries
from boerse.messages.services import OptOut, opt_out_url
from boerse.messages.summary import send_daily_summaries, window_at
from boerse.opportunities import signups
from boerse.opportunities.tables import SignUp, SignUpStatus
from tests.support.factories import (
    make_officer,
    make_opportunity,
    make_organisation,
    make_session,
    make_user,
)
from tests.support.fixtures import links_in, run_worker
from tests.support.services import Mailbox, body_text
from worker.settings import WorkerSettings

ONE_CLICK = {"List-Unsubscribe": "One-Click"}


def berlin(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), TOWN_TIMEZONE).astimezone(dt.UTC)


def test_the_window_is_the_last_day_up_to_seven_in_the_town() -> None:
    day = dt.date(2026, 6, 10)
    assert window_at(berlin(day, 6, 59)) is None
    window = window_at(berlin(day, 9, 30))
    assert (window.day, window.start, window.end) == (
        day,
        berlin(day - dt.timedelta(days=1), 7),
        berlin(day, 7),
    )
    assert window.end.hour == 5  # 07:00 in summer time is 05:00 UTC
    spring = window_at(berlin(dt.date(2026, 3, 29), 7))  # clocks moved forward that night
    assert spring.end - spring.start == dt.timedelta(hours=23)


async def _signup(session, name: str, status: SignUpStatus, at: dt.datetime, **fields) -> None:
    user = await make_user(email=f"{name.lower()}@example.org", display_name=name)
    await SignUp(
        session=session.id,
        user=user.id,
        status=status.value,
        created_at=at,
        updated_at=at,
        signed_up_at=at,
        **fields,
    ).save()


async def test_officers_who_asked_get_the_news_once(mailbox: Mailbox) -> None:
    today = dt.datetime.now(TOWN_TIMEZONE).date()
    now = berlin(today, 8)
    in_window, before = berlin(today, 6), berlin(today - dt.timedelta(days=2), 12)
    amt = await make_organisation(name="Grünflächenamt")
    quiet = await make_organisation(name="Stilles Amt")
    await make_officer(amt, email="leser@example.org", signup_summary_ok=True)
    await make_officer(amt, email="ohne@example.org")  # did not switch it on
    await make_officer(quiet, email="still@example.org", signup_summary_ok=True)
    await make_user(email="buerger@example.org", signup_summary_ok=True)  # not staff
    park = await make_session(
        await make_opportunity(amt, title="Parkpflege"), starts_in=dt.timedelta(days=3)
    )
    await make_session(await make_opportunity(quiet, title="Nichts los"))
    await _signup(park, "Anna", SignUpStatus.REGISTERED, in_window, companions=2)
    await _signup(park, "Wanda", SignUpStatus.WAITLISTED, in_window)
    await _signup(park, "Carl", SignUpStatus.CANCELLED, before)
    await SignUp.update({SignUp.updated_at: in_window}).where(
        SignUp.status == SignUpStatus.CANCELLED.value
    )
    await _signup(park, "Alt", SignUpStatus.REGISTERED, before)  # reported the day before
    await _signup(park, "Neu", SignUpStatus.REGISTERED, berlin(today, 7, 30))  # tomorrow's news

    assert await send_daily_summaries(now) == 1
    assert await send_daily_summaries(now + dt.timedelta(hours=3)) == 0
    await run_worker()

    assert [m["To"] for m in mailbox.messages] == ["leser@example.org"]
    assert mailbox.subjects() == ["Neue Anmeldungen bei Grünflächenamt"]
    text = body_text(mailbox.messages[0])
    assert "2 neue Anmeldungen, 1 Absage" in text
    assert "Parkpflege" in text
    assert "+ Anna mit 2 Begleitpersonen: Platz" in text
    assert "+ Wanda: Warteliste" in text
    assert "- Carl: abgesagt" in text
    assert "Alt" not in text and "Neu:" not in text
    assert "/konto/benachrichtigungen" in text or "benachrichtigungen" in text
    assert "/nachrichten/abbestellen/uebersicht/" in text


async def test_nothing_before_seven_and_nothing_on_a_quiet_day(mailbox: Mailbox) -> None:
    today = dt.datetime.now(TOWN_TIMEZONE).date()
    amt = await make_organisation()
    await make_officer(amt, signup_summary_ok=True)
    park = await make_session(await make_opportunity(amt))
    assert await send_daily_summaries(berlin(today, 8)) == 0
    await _signup(park, "Anna", SignUpStatus.REGISTERED, berlin(today, 6))
    assert await send_daily_summaries(berlin(today, 6, 30)) == 0
    assert await send_daily_summaries(berlin(today, 7, 5)) == 1


async def test_a_re_sign_up_after_a_cancellation_is_news(mailbox: Mailbox) -> None:
    """Signing up again reuses the cancelled row and its old `created_at`: the summary of
    the day of the new sign-up still reports it."""
    now = utcnow()
    local_now = now.astimezone(TOWN_TIMEZONE)
    # The morning whose window holds this moment: tomorrow's after seven, else today's.
    day = local_now.date() + dt.timedelta(days=1 if local_now.hour >= 7 else 0)
    amt = await make_organisation(name="Grünflächenamt")
    await make_officer(amt, email="leser@example.org", signup_summary_ok=True)
    park = await make_session(
        await make_opportunity(amt, title="Parkpflege", max_companions=2),
        starts_in=dt.timedelta(days=5),
    )
    long_ago = now - dt.timedelta(days=10)
    await _signup(park, "Rita", SignUpStatus.CANCELLED, long_ago)
    rita = await User.select(User.id).where(User.email == "rita@example.org").first()

    outcome = await signups.sign_up(rita["id"], park.id, companions=1)
    assert outcome.changed and outcome.status == "registered"
    row = await SignUp.select().where(SignUp.id == outcome.signup_id).first()
    assert row["created_at"] == long_ago and row["signed_up_at"] >= now

    assert await send_daily_summaries(berlin(day, 8)) == 1
    await run_worker()
    summaries = [m for m in mailbox.messages if m["To"] == "leser@example.org"]
    assert len(summaries) == 1
    text = body_text(summaries[0])
    assert "+ Rita mit 1 Begleitperson: Platz" in text


async def test_an_officer_unsubscribes_by_the_link_or_with_one_click(
    app, client, mailbox: Mailbox
) -> None:
    today = dt.datetime.now(TOWN_TIMEZONE).date()
    amt = await make_organisation(name="Grünflächenamt")
    reader = await make_officer(amt, email="leser@example.org", signup_summary_ok=True)
    other = await make_officer(amt, email="zweite@example.org", signup_summary_ok=True)
    park = await make_session(await make_opportunity(amt, title="Parkpflege"))
    await _signup(park, "Anna", SignUpStatus.REGISTERED, berlin(today, 6))
    assert await send_daily_summaries(berlin(today, 8)) == 2
    await run_worker()

    mail = mailbox.to("leser@example.org")[0]
    link = opt_out_url(reader.id, OptOut.SUMMARY)
    assert mail["List-Unsubscribe"] == f"<{link}>"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in links_in(body_text(mail))
    path = "/" + link.split("/", 3)[3]

    # The page, opened without logging in, changes nothing; its button switches it off.
    client.cookies.clear()
    page = await client.get(path)
    assert page.status_code == 200 and "Keine tägliche Übersicht mehr" in page.text
    assert await _summary_ok(reader.id)
    assert (await client.submit(path)).status_code == 303
    assert not await _summary_ok(reader.id)
    assert "nicht mehr" in (await client.get(path)).text

    # A mail program's one-click POST: no cookie, no CSRF token; the messages key is no key.
    other_path = "/" + opt_out_url(other.id, OptOut.SUMMARY).split("/", 3)[3]
    messages_key = opt_out_url(other.id).split("?")[1]
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as provider:
        wrong = other_path.split("?")[0] + "?" + messages_key
        assert (await provider.post(wrong, data=ONE_CLICK)).status_code == 404
        assert await _summary_ok(other.id)
        assert (await provider.post(other_path, data=ONE_CLICK)).status_code == 200
    assert not await _summary_ok(other.id)

    await _signup(park, "Bert", SignUpStatus.REGISTERED, berlin(today + dt.timedelta(days=1), 6))
    assert await send_daily_summaries(berlin(today + dt.timedelta(days=1), 8)) == 0


async def _summary_ok(user_id: int) -> bool:
    row = await User.select(User.signup_summary_ok).where(User.id == user_id).first()
    return row["signup_summary_ok"]


def test_the_worker_runs_the_summary_hourly() -> None:
    [job] = CRON_JOBS
    assert job.coroutine is send_signup_summaries and job.minute == {5} and job.hour is None
    assert any(cron.coroutine is send_signup_summaries for cron in WorkerSettings.cron_jobs)
