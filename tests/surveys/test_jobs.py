"""The follow-up survey job: one email per attendee, never two, whatever runs when."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt

from boerse.lib.queue import enqueue
from boerse.opportunities.tables import Attendance, SignUpStatus
from boerse.outbox.tables import OutboxEmail
from boerse.settings import get_settings
from boerse.surveys import services
from boerse.surveys.tables import SurveyInvitation
from tests.support.factories import make_opportunity, make_organisation
from tests.support.fixtures import links_in, run_worker
from tests.support.services import Mailbox, body_text
from tests.surveys.helpers import make_signup, past_session


async def run_survey_job() -> None:
    """Enqueue the cron job by name and let the real worker do it and deliver its mails."""
    assert await enqueue("send_due_surveys")
    await run_worker()


async def test_attendees_get_one_survey_email_even_when_the_job_runs_twice(
    mailbox: Mailbox,
) -> None:
    opportunity = await make_opportunity(await make_organisation(), title="Stadtpark pflanzen")
    session = await past_session(opportunity)
    await make_signup(session, email="unrecorded@example.org")
    await make_signup(session, attendance=Attendance.ATTENDED, email="came@example.org")
    await make_signup(session, status=SignUpStatus.REGISTERED, email="registered@example.org")

    await run_survey_job()
    await run_survey_job()

    recipients = sorted(message["To"] for message in mailbox.messages)
    assert recipients == ["came@example.org", "registered@example.org", "unrecorded@example.org"]
    assert all("Stadtpark pflanzen" in subject for subject in mailbox.subjects())
    assert await SurveyInvitation.count() == 3
    keys = [row["dedupe_key"] for row in await OutboxEmail.select(OutboxEmail.dedupe_key)]
    assert sum(key.startswith("survey:") for key in keys) == 3
    # Each invitation also queued its reminders after 3 and 10 days, not yet due.
    assert sum(key.startswith("survey_reminder:") for key in keys) == 6


async def test_absent_cancelled_and_waitlisted_people_get_no_survey(mailbox: Mailbox) -> None:
    opportunity = await make_opportunity(await make_organisation())
    session = await past_session(opportunity)
    await make_signup(session, attendance=Attendance.ABSENT, email="absent@example.org")
    await make_signup(session, status=SignUpStatus.CANCELLED, email="cancelled@example.org")
    await make_signup(session, status=SignUpStatus.WAITLISTED, email="waiting@example.org")
    await make_signup(session, email="attendee@example.org")

    await run_survey_job()

    assert [message["To"] for message in mailbox.messages] == ["attendee@example.org"]


async def test_future_and_old_sessions_are_left_alone(mailbox: Mailbox) -> None:
    opportunity = await make_opportunity(await make_organisation())
    await make_signup(await past_session(opportunity, dt.timedelta(hours=-5)))  # still to come
    await make_signup(await past_session(opportunity, dt.timedelta(days=20)))  # old history
    due = await make_signup(await past_session(opportunity, dt.timedelta(days=13)))

    await run_survey_job()

    invited = await SurveyInvitation.select(SurveyInvitation.sign_up)
    assert [row["sign_up"] for row in invited] == [due.id]
    assert len(mailbox.messages) == 1


async def test_survey_waits_for_the_configured_delay_after_the_session() -> None:
    opportunity = await make_opportunity(await make_organisation())
    await make_signup(await past_session(opportunity, dt.timedelta(minutes=30)))
    settings = dataclasses.replace(get_settings(), survey_delay_minutes=60)

    assert await services.due_participations(settings) == []
    assert len(await services.due_participations(get_settings())) == 1


async def test_concurrent_runs_create_one_invitation_and_one_email_each(mailbox: Mailbox) -> None:
    opportunity = await make_opportunity(await make_organisation())
    session = await past_session(opportunity)
    for _ in range(3):
        await make_signup(session)
    settings = get_settings()

    sent = await asyncio.gather(
        services.send_due_surveys(settings), services.send_due_surveys(settings)
    )
    await run_worker()

    assert sum(run.invited for run in sent) == 3
    assert await SurveyInvitation.count() == 3
    assert len(mailbox.messages) == 3


async def test_link_in_the_email_opens_the_survey(client, mailbox: Mailbox) -> None:
    opportunity = await make_opportunity(await make_organisation(), title="Leseclub für Eltern")
    await make_signup(await past_session(opportunity), email="mara@example.org")

    await run_survey_job()

    text = body_text(mailbox.to("mara@example.org")[0])
    link = next(url for url in links_in(text) if "/umfrage/" in url)
    token = link.rsplit("/", 1)[1]
    invitation = await SurveyInvitation.objects().first()
    assert invitation.token_hash != token  # only the hash is stored
    response = await client.get(f"/umfrage/{token}")
    assert response.status_code == 200
    assert "Leseclub für Eltern" in response.text


async def test_a_run_out_of_time_reports_the_rest_and_its_job_queues_a_continuation(
    mailbox: Mailbox, monkeypatch
) -> None:
    opportunity = await make_opportunity(await make_organisation())
    session = await past_session(opportunity)
    for _ in range(5):
        await make_signup(session)
    monkeypatch.setattr(services, "BATCH_SIZE", 2)

    first = await services.send_due_surveys(get_settings(), budget_s=0)

    assert (first.invited, first.more) == (2, True)
    assert await enqueue("send_due_surveys")
    await run_worker()
    assert await SurveyInvitation.count() == 5
    assert len(mailbox.messages) == 5


async def test_a_new_date_schedules_its_survey_run_for_its_end_plus_the_delay() -> None:
    from boerse.lib.queue import connection
    from boerse.opportunities import services as opportunities
    from boerse.opportunities.schemas import SessionInput

    opportunity = await make_opportunity(await make_organisation())
    ends_at = dt.datetime(2031, 5, 3, 12, 0, tzinfo=dt.UTC)
    data = SessionInput(
        starts_at=ends_at - dt.timedelta(hours=2), ends_at=ends_at, capacity=5, location_note=""
    )

    await opportunities.add_session(opportunity.id, data)

    jobs = await (await connection()).queued_jobs()
    due = ends_at + dt.timedelta(minutes=get_settings().survey_delay_minutes)
    assert [(job.function, job.score) for job in jobs] == [
        ("send_due_surveys", int(due.timestamp() * 1000))
    ]


async def test_each_invitation_names_its_opportunitys_questionnaire(mailbox: Mailbox) -> None:
    """Resolved once per opportunity and batch: an own questionnaire, else a copy of the
    short feedback made on the first run and reused."""
    from boerse.questionnaires.tables import Questionnaire
    from tests.surveys.helpers import SHORT_FEEDBACK_QUESTIONS, make_questionnaire

    organisation = await make_organisation()
    own = await make_opportunity(organisation, title="Eigener Fragebogen")
    plain = await make_opportunity(organisation, title="Ohne Fragebogen")
    own_questionnaire = await make_questionnaire(
        SHORT_FEEDBACK_QUESTIONS, opportunity=own, reminder_days=""
    )
    for opportunity in (own, plain, plain):
        await make_signup(await past_session(opportunity))

    await run_survey_job()

    rows = await SurveyInvitation.select(
        SurveyInvitation.opportunity, SurveyInvitation.questionnaire
    )
    chosen = {row["opportunity"]: row["questionnaire"] for row in rows}
    assert len(rows) == 3 and chosen[own.id] == own_questionnaire
    copies = await Questionnaire.select(Questionnaire.id).where(
        Questionnaire.opportunity == plain.id
    )
    assert [row["id"] for row in copies] == [chosen[plain.id]]
    assert len({row["questionnaire"] for row in rows if row["opportunity"] == plain.id}) == 1
    keys = [row["dedupe_key"] for row in await OutboxEmail.select(OutboxEmail.dedupe_key)]
    # No reminder days on the own questionnaire: reminders only for the two others.
    assert sum(key.startswith("survey_reminder:") for key in keys) == 4
