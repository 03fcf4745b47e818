"""Reminders: queued with the invitation as outbox mails due 3 and 10 days later, delivered
by the real worker once the outbox sweep finds them due, never after the link expires, never
after answering, never after "Keine Erinnerungen mehr"."""

from __future__ import annotations

import datetime as dt

import time_machine

from boerse.lib.queue import enqueue
from boerse.outbox.tables import OutboxEmail
from boerse.surveys.tables import SurveyInvitation
from tests.support.factories import make_opportunity, make_organisation
from tests.support.fixtures import links_in, run_worker
from tests.support.services import Mailbox, body_text
from tests.surveys.helpers import (
    SHORT_FEEDBACK_QUESTIONS,
    answer_form,
    make_questionnaire,
    make_signup,
    opportunity_plan,
    past_session,
)

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)
EMAIL = "mara@example.org"


async def invite_at_t0(reminder_days: str | None = None) -> int:
    """One attendee of a date that ended an hour before T0, invited by the worker at T0."""
    with time_machine.travel(T0, tick=True):
        opportunity = await make_opportunity(await make_organisation(), title="Stadtputz")
        if reminder_days is not None:
            await make_questionnaire(
                SHORT_FEEDBACK_QUESTIONS, opportunity=opportunity, reminder_days=reminder_days
            )
        await make_signup(await past_session(opportunity), email=EMAIL)
        assert await enqueue("send_due_surveys")
        await run_worker()
    return opportunity.id


async def sweep_at(moment: dt.datetime) -> None:
    """The outbox's periodic sweep at `moment`, and the delivery it wakes, on the real worker."""
    with time_machine.travel(moment, tick=True):
        assert await enqueue("sweep_outbox")
        await run_worker()


def links_of(mailbox: Mailbox, index: int) -> list[str]:
    return links_in(body_text(mailbox.to(EMAIL)[index]))


def survey_path(links: list[str]) -> str:
    link = next(url for url in links if "/umfrage/" in url and "erinnerungen" not in url)
    return "/umfrage/" + link.rsplit("/umfrage/", 1)[1]


async def test_reminders_after_3_and_10_days_with_the_same_link(mailbox: Mailbox) -> None:
    await invite_at_t0()
    assert len(mailbox.to(EMAIL)) == 1
    invitation_links = links_of(mailbox, 0)
    assert any(url.endswith("/erinnerungen") for url in invitation_links)

    await sweep_at(T0 + 2 * DAY)
    assert len(mailbox.to(EMAIL)) == 1
    await sweep_at(T0 + 3 * DAY + dt.timedelta(minutes=1))
    assert len(mailbox.to(EMAIL)) == 2
    assert mailbox.subjects()[1] == "Erinnerung: Ihre Meinung zu „Stadtputz“"
    assert survey_path(links_of(mailbox, 1)) == survey_path(invitation_links)
    assert any(url.endswith("/erinnerungen") for url in links_of(mailbox, 1))

    await sweep_at(T0 + 9 * DAY)
    assert len(mailbox.to(EMAIL)) == 2
    await sweep_at(T0 + 10 * DAY + dt.timedelta(minutes=1))
    assert len(mailbox.to(EMAIL)) == 3
    await sweep_at(T0 + 16 * DAY)
    assert len(mailbox.to(EMAIL)) == 3
    assert await SurveyInvitation.count() == 1


async def test_no_reminder_after_answering(client, mailbox: Mailbox) -> None:
    opportunity_id = await invite_at_t0()
    path = survey_path(links_of(mailbox, 0))
    plan = await opportunity_plan(opportunity_id)
    with time_machine.travel(T0 + DAY, tick=True):
        answered = await client.submit(path, answer_form(plan))
        assert answered.status_code == 303

    await sweep_at(T0 + 11 * DAY)
    assert len(mailbox.to(EMAIL)) == 1
    assert not await OutboxEmail.exists().where(OutboxEmail.dedupe_key.like("survey_reminder:%"))


async def test_no_reminder_after_stopping_them(client, mailbox: Mailbox) -> None:
    await invite_at_t0()
    stop = next(url for url in links_of(mailbox, 0) if url.endswith("/erinnerungen"))
    stop_path = "/umfrage/" + stop.rsplit("/umfrage/", 1)[1]
    with time_machine.travel(T0 + DAY, tick=True):
        shown = await client.get(stop_path)
        assert shown.status_code == 200
        assert "Keine Erinnerungen mehr schicken" in shown.text
        assert shown.headers["cache-control"] == "no-store"
        stopped = await client.submit(stop_path, {})
        assert stopped.status_code == 200
        assert "keine Erinnerungen mehr" in stopped.text

    await sweep_at(T0 + 11 * DAY)
    assert len(mailbox.to(EMAIL)) == 1
    # The link itself still works.
    with time_machine.travel(T0 + 11 * DAY, tick=True):
        assert (await client.get(survey_path(links_of(mailbox, 0)))).status_code == 200


async def test_stop_page_for_answered_expired_and_unknown_links(client, mailbox: Mailbox) -> None:
    opportunity_id = await invite_at_t0(reminder_days="")
    path = survey_path(links_of(mailbox, 0))
    assert not any(url.endswith("/erinnerungen") for url in links_of(mailbox, 0))
    with time_machine.travel(T0 + DAY, tick=True):
        await client.submit(path, answer_form(await opportunity_plan(opportunity_id)))
        answered = await client.get(path + "/erinnerungen")
        assert answered.status_code == 200 and "schon beantwortet" in answered.text
        assert (await client.submit(path + "/erinnerungen", {})).status_code == 200
        unknown = await client.get("/umfrage/ausgedacht/erinnerungen")
        assert unknown.status_code == 404 and "Link ungültig" in unknown.text
    with time_machine.travel(T0 + 20 * DAY, tick=True):
        expired = await client.get(path + "/erinnerungen")
        # Answered wins over expired, as on the survey page.
        assert expired.status_code == 200 and "schon beantwortet" in expired.text


async def test_no_reminder_after_the_link_expires(mailbox: Mailbox) -> None:
    await invite_at_t0(reminder_days="3,10,20")
    keys = sorted(row["dedupe_key"] for row in await OutboxEmail.select(OutboxEmail.dedupe_key))
    invitation = (await SurveyInvitation.select(SurveyInvitation.id).first())["id"]
    assert keys == [
        f"survey:{(await SurveyInvitation.select(SurveyInvitation.sign_up).first())['sign_up']}",
        f"survey_reminder:{invitation}:10",
        f"survey_reminder:{invitation}:3",
    ]
    await sweep_at(T0 + 25 * DAY)
    assert len(mailbox.to(EMAIL)) == 3


async def test_an_expired_link_with_a_reminder_left_shows_it_expired(client, mailbox) -> None:
    await invite_at_t0()
    path = survey_path(links_of(mailbox, 0))
    with time_machine.travel(T0 + 15 * DAY, tick=True):
        shown = await client.get(path + "/erinnerungen")
        assert "abgelaufen" in shown.text
        assert (await client.get(path)).status_code == 410


async def test_a_reminder_overdue_past_the_expiry_is_dropped_not_sent(mailbox: Mailbox) -> None:
    """Delivery down for two weeks: the survey job removes what the link can no longer use."""
    await invite_at_t0()
    with time_machine.travel(T0 + 15 * DAY, tick=True):
        assert await enqueue("send_due_surveys")
        await run_worker()
    await sweep_at(T0 + 15 * DAY + dt.timedelta(minutes=1))
    assert len(mailbox.to(EMAIL)) == 1
    assert not await OutboxEmail.exists().where(OutboxEmail.dedupe_key.like("survey_reminder:%"))
