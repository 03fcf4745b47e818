"""Follow-up surveys: invite each attendee once after the date, take one anonymous answer per link.

The unique `sign_up` of SurveyInvitation (and the outbox's unique dedupe key) are what make a
second email impossible, whether the job runs twice, concurrently or after a crash."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from enum import StrEnum

from boerse.lib.db import CONSTRAINT_ERRORS, is_unique_violation, utcnow, write_transaction
from boerse.lib.i18n import gettext as _
from boerse.lib.security import hash_token, new_token
from boerse.opportunities.tables import HOLDING_STATUSES, Attendance, SignUp
from boerse.outbox.services import notify_worker, queue_email
from boerse.settings import Settings
from boerse.surveys.schemas import SurveyAnswer
from boerse.surveys.tables import InvitationStatus, SurveyInvitation, SurveyResponse

log = logging.getLogger(__name__)

# One run handles at most this many participations; the next run picks up the rest, so a
# big backlog never pushes the job past its timeout.
BATCH_SIZE = 200
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
        )
        for row in rows
    ]


async def invite(participation: Participation, settings: Settings) -> bool:
    """Create the invitation and queue its email in one transaction; False when another run
    was first (the unique sign_up rejects us and nothing of ours is kept)."""
    token, token_hash = new_token()
    expires_at = utcnow() + dt.timedelta(days=settings.survey_valid_days)
    subject = _("Wie war es? Ihre Meinung zu „{title}“").format(title=participation.title)
    context = {
        "title": participation.title,
        "starts_at": participation.starts_at,
        "ends_at": participation.ends_at,
        "display_name": participation.display_name,
        "url": f"{settings.base_url}/umfrage/{token}",
        "expires_at": expires_at,
    }
    try:
        async with write_transaction():
            await SurveyInvitation.insert(
                SurveyInvitation(
                    sign_up=participation.sign_up_id,
                    opportunity=participation.opportunity_id,
                    token_hash=token_hash,
                    expires_at=expires_at,
                )
            )
            # The token exists only here and in this email: the outbox row is its durable copy.
            queued = await queue_email(
                f"survey:{participation.sign_up_id}",
                participation.email,
                subject,
                "survey_invitation",
                context,
            )
    except CONSTRAINT_ERRORS as error:
        if not is_unique_violation(error):
            raise
        return False
    await notify_worker(queued.id)
    return queued.created


async def send_due_surveys(settings: Settings) -> int:
    """One batch of invitations; each in its own transaction so one bad row blocks no other."""
    sent = 0
    for participation in await due_participations(settings):
        if await invite(participation, settings):
            sent += 1
    return sent


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
