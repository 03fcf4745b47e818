"""Follow-up surveys: invite each attendee once after the date, take one anonymous answer per link.

The unique `sign_up` of SurveyInvitation (and the outbox's unique dedupe key) are what make a
second email impossible, whether the job runs twice, concurrently or after a crash.
Invitations are written in batches with their emails, in one transaction each."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from boerse.lib.db import insert_many, utcnow, write_transaction
from boerse.lib.i18n import N_
from boerse.lib.lifecycle import stop_requested
from boerse.lib.queue import enqueue
from boerse.lib.security import hash_token, new_token
from boerse.lib.urls import site_url
from boerse.opportunities.tables import HOLDING_STATUSES, Attendance, SignUp
from boerse.outbox.services import NewEmail, insert_emails, render_emails, wake_delivery
from boerse.settings import Settings
from boerse.surveys.schemas import SurveyAnswer
from boerse.surveys.tables import InvitationStatus, SurveyInvitation, SurveyResponse

log = logging.getLogger(__name__)

# Participations per transaction: large enough that a town's clean-up day (5,000 helpers)
# takes ten transactions, small enough that SQLite's one writer is never held for long.
BATCH_SIZE = 500
# A run stops after this long and queues its continuation, far inside its job timeout.
FANOUT_BUDGET_S = 60.0
# Our tokens are 43 characters; anything much longer is not ours and is not even hashed.
MAX_TOKEN_LENGTH = 100


@dataclass(frozen=True)
class Participation:
    """A sign-up that is owed a survey, with what the email needs to say."""

    sign_up_id: int
    opportunity_id: int
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    email: str
    display_name: str
    language: str
    """The language of the invitation: the attendee's, not that of the run."""


async def due_participations(
    settings: Settings, now: dt.datetime | None = None
) -> list[Participation]:
    """Attendees of sessions that ended (plus the delay) within the validity window and have
    no invitation yet. Attendance not yet recorded counts as attended: officers are often late."""
    now = now or utcnow()
    ended_before = now - dt.timedelta(minutes=settings.survey_delay_minutes)
    ended_after = now - dt.timedelta(days=settings.survey_valid_days)
    rows = (
        await SignUp.select(
            SignUp.id,
            SignUp.session.opportunity.id.as_alias("opportunity_id"),
            SignUp.session.opportunity.title.as_alias("title"),
            SignUp.session.starts_at.as_alias("starts_at"),
            SignUp.session.ends_at.as_alias("ends_at"),
            SignUp.user.email.as_alias("email"),
            SignUp.user.display_name.as_alias("display_name"),
            SignUp.user.language.as_alias("language"),
        )
        .where(
            SignUp.status.is_in(list(HOLDING_STATUSES)),
            SignUp.attendance.is_null() | (SignUp.attendance != Attendance.ABSENT.value),
            SignUp.session.ends_at <= ended_before,
            SignUp.session.ends_at > ended_after,
            SignUp.user.is_active.eq(True),
            SignUp.id.not_in(SurveyInvitation.select(SurveyInvitation.sign_up)),
        )
        .order_by(SignUp.id)
        .limit(BATCH_SIZE)
    )
    return [
        Participation(
            sign_up_id=row["id"],
            opportunity_id=row["opportunity_id"],
            title=row["title"],
            starts_at=row["starts_at"],
            ends_at=row["ends_at"],
            email=row["email"],
            display_name=row["display_name"],
            language=row["language"],
        )
        for row in rows
    ]


def _survey_email(
    participation: Participation, token: str, expires_at: dt.datetime, settings: Settings
) -> NewEmail:
    """The token exists only here and in this email: the outbox row is its durable copy."""
    context = {
        "title": participation.title,
        "starts_at": participation.starts_at,
        "ends_at": participation.ends_at,
        "display_name": participation.display_name,
        "url": site_url("surveys:answer", token=token),
        "expires_at": expires_at,
    }
    return NewEmail(
        f"survey:{participation.sign_up_id}",
        participation.email,
        N_("Wie war es? Ihre Meinung zu „{title}“"),
        "survey_invitation",
        context,
        language=participation.language,
        subject_args={"title": participation.title},
    )


async def invite_batch(participations: Sequence[Participation], settings: Settings) -> int:
    """Create the invitations and queue their emails in one transaction. A participation that
    another run invited meanwhile is skipped (the unique sign_up), and so is its email."""
    if not participations:
        return 0
    now = utcnow()
    expires_at = now + dt.timedelta(days=settings.survey_valid_days)
    tokens = {participation.sign_up_id: new_token() for participation in participations}
    emails = render_emails(
        [_survey_email(p, tokens[p.sign_up_id][0], expires_at, settings) for p in participations]
    )
    email_of = {p.sign_up_id: email for p, email in zip(participations, emails, strict=True)}
    async with write_transaction():
        new = set(
            await insert_many(
                SurveyInvitation,
                INVITATION_COLUMNS,
                [
                    (
                        p.sign_up_id,
                        p.opportunity_id,
                        tokens[p.sign_up_id][1],
                        expires_at,
                        InvitationStatus.SENT.value,
                        now,
                    )
                    for p in participations
                ],
                skip_conflicts_on=SurveyInvitation.sign_up,
                returning=SurveyInvitation.sign_up,
            )
        )
        await insert_emails([email_of[sign_up] for sign_up in sorted(new)])
    return len(new)


INVITATION_COLUMNS = (
    SurveyInvitation.sign_up,
    SurveyInvitation.opportunity,
    SurveyInvitation.token_hash,
    SurveyInvitation.expires_at,
    SurveyInvitation.status,
    SurveyInvitation.created_at,
)


@dataclass(frozen=True)
class FanOut:
    invited: int
    more: bool
    """Stopped at its time budget with participations left: the caller queues a follow-up."""


async def send_due_surveys(settings: Settings, budget_s: float = FANOUT_BUDGET_S) -> FanOut:
    """Invite everyone due, a batch per transaction, waking delivery after each, so the first
    mails are out while later batches are still being written."""
    deadline = time.monotonic() + budget_s
    invited = 0
    while True:
        batch = await due_participations(settings)
        invited += await invite_batch(batch, settings)
        if batch:
            await wake_delivery()
        if len(batch) < BATCH_SIZE:
            return FanOut(invited, more=False)
        if time.monotonic() > deadline or stop_requested():
            return FanOut(invited, more=True)


async def schedule_fanout(ends_at: dt.datetime, settings: Settings) -> bool:
    """A date's end queues the survey run for the moment its delay has passed; the cron only
    catches up (e.g. when Redis lost the deferred job). Dates ending together share a job."""
    due = ends_at + dt.timedelta(minutes=settings.survey_delay_minutes)
    return await enqueue(
        "send_due_surveys", defer_until=due, job_id=f"send_due_surveys:{int(due.timestamp())}"
    )


class LinkState(StrEnum):
    OPEN = "open"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    ANSWERED = "answered"


@dataclass(frozen=True)
class SurveyLink:
    """What the survey page needs to know about a personal link (never who it belongs to)."""

    state: LinkState
    title: str = ""
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    expires_at: dt.datetime | None = None


async def survey_link(token: str) -> SurveyLink:
    """Resolve a link in one query. Answered wins over expired: that message is the kinder one."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return SurveyLink(LinkState.UNKNOWN)
    row = (
        await SurveyInvitation.select(
            SurveyInvitation.status,
            SurveyInvitation.expires_at,
            SurveyInvitation.opportunity.title.as_alias("title"),
            SurveyInvitation.sign_up.session.starts_at.as_alias("starts_at"),
            SurveyInvitation.sign_up.session.ends_at.as_alias("ends_at"),
        )
        .where(SurveyInvitation.token_hash == hash_token(token))
        .first()
    )
    if row is None:
        return SurveyLink(LinkState.UNKNOWN)
    if row["status"] == InvitationStatus.ANSWERED.value:
        state = LinkState.ANSWERED
    elif row["expires_at"] <= utcnow():
        state = LinkState.EXPIRED
    else:
        state = LinkState.OPEN
    return SurveyLink(state, row["title"], row["starts_at"], row["ends_at"], row["expires_at"])


def _day_of(moment: dt.datetime) -> dt.datetime:
    """Times are kept to the day: an exact timestamp on both the invitation and the anonymous
    response would let anyone with database access match the two and so the person."""
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


async def submit_answer(token: str, answer: SurveyAnswer) -> bool:
    """Use up the link and store the answer together; False (nothing stored) when the link was
    already used or has expired, which is what makes a double submit store once."""
    now = utcnow()
    async with write_transaction():
        used = (
            await SurveyInvitation.update(
                {
                    SurveyInvitation.status: InvitationStatus.ANSWERED.value,
                    SurveyInvitation.answered_at: _day_of(now),
                }
            )
            .where(
                SurveyInvitation.token_hash == hash_token(token),
                SurveyInvitation.status == InvitationStatus.SENT.value,
                SurveyInvitation.expires_at > now,
            )
            .returning(SurveyInvitation.opportunity)
        )
        if not used:
            return False
        await SurveyResponse.insert(
            SurveyResponse(
                opportunity=used[0]["opportunity"],
                overall_rating=answer.overall_rating,
                statement_well_organised=answer.statement_well_organised,
                statement_made_difference=answer.statement_made_difference,
                statement_would_recommend=answer.statement_would_recommend,
                comment=answer.comment,
                submitted_at=_day_of(now),
            )
        )
    return True
