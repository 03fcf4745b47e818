"""Follow-up surveys: invite each attendee once after the date, take one anonymous answer per link.

The unique `sign_up` of SurveyInvitation (and the outbox's unique dedupe key) are what make a
second email impossible, whether the job runs twice, concurrently or after a crash.
Invitations are written in batches with their emails, in one transaction each; the reminders
are written with them as outbox rows due days later, and deleted when the link is answered
or its owner stops them, so no job has to decide later whom to remind. A link answers its
opportunity's questionnaire page by page through `boerse.questionnaires.answering`, with
the token as the resume key."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from boerse.lib.db import (
    CONSTRAINT_ERRORS,
    insert_many,
    is_unique_violation,
    utcnow,
    write_transaction,
)
from boerse.lib.i18n import N_
from boerse.lib.lifecycle import stop_requested
from boerse.lib.queue import enqueue
from boerse.lib.security import hash_token, new_token
from boerse.lib.urls import site_url
from boerse.opportunities.tables import HOLDING_STATUSES, Attendance, SignUp
from boerse.outbox.services import NewEmail, insert_emails, render_emails, wake_delivery
from boerse.outbox.tables import OutboxEmail, OutboxStatus
from boerse.questionnaires.answering import SaveOutcome, response_progress, save_page
from boerse.questionnaires.assignment import questionnaire_for_opportunity
from boerse.questionnaires.model import VersionPlan, latest_version_id, load_plan
from boerse.questionnaires.tables import Questionnaire
from boerse.questionnaires.tally import NewAnswer
from boerse.settings import Settings
from boerse.surveys.tables import InvitationStatus, SurveyInvitation

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


def _mail_context(
    participation: Participation, token: str, expires_at: dt.datetime
) -> dict[str, object]:
    """The token exists only here and in the emails: the outbox rows are its durable copy."""
    return {
        "title": participation.title,
        "starts_at": participation.starts_at,
        "ends_at": participation.ends_at,
        "display_name": participation.display_name,
        "url": site_url("surveys:answer", token=token),
        "stop_url": site_url("surveys:stop_reminders", token=token),
        "expires_at": expires_at,
    }


def _survey_email(
    participation: Participation, context: dict[str, object], reminders: bool
) -> NewEmail:
    return NewEmail(
        f"survey:{participation.sign_up_id}",
        participation.email,
        N_("Wie war es? Ihre Meinung zu „{title}“"),
        "survey_invitation",
        {**context, "reminders": reminders},
        language=participation.language,
        subject_args={"title": participation.title},
    )


def _reminder_email(
    participation: Participation, context: dict[str, object], send_at: dt.datetime
) -> NewEmail:
    """Its dedupe key names the invitation, known only once it is written (see `invite_batch`)."""
    return NewEmail(
        REMINDER_KEY_PLACEHOLDER,
        participation.email,
        N_("Erinnerung: Ihre Meinung zu „{title}“"),
        "survey_reminder",
        context,
        language=participation.language,
        subject_args={"title": participation.title},
        send_at=send_at,
    )


REMINDER_KEY_PLACEHOLDER = "survey_reminder:?"
REMINDER_KEY_PREFIX = "survey_reminder:"
# Rendered mails per INSERT: 13 columns each stays below PostgreSQL's 32,767 parameters.
EMAIL_ROWS_PER_INSERT = 1000


def reminder_key(invitation_id: int, day: int) -> str:
    return f"{REMINDER_KEY_PREFIX}{invitation_id}:{day}"


def parse_reminder_days(raw: str) -> tuple[int, ...]:
    """The days of "3,10" as (3, 10); what is not a positive whole number is left out."""
    days = {
        int(part) for part in (raw or "").replace(";", ",").split(",") if part.strip().isdigit()
    }
    return tuple(sorted(day for day in days if day > 0))


def reminder_times(
    days: Sequence[int], invited_at: dt.datetime, expires_at: dt.datetime
) -> list[tuple[int, dt.datetime]]:
    """(day, moment) of each reminder that still falls before the link expires."""
    moments = ((day, invited_at + dt.timedelta(days=day)) for day in days)
    return [(day, moment) for day, moment in moments if moment < expires_at]


@dataclass(frozen=True)
class AssignedQuestionnaire:
    id: int
    reminder_days: tuple[int, ...]


async def questionnaires_for(opportunity_ids: Sequence[int]) -> dict[int, AssignedQuestionnaire]:
    """Each opportunity's questionnaire (created from its template on first use), once per
    opportunity, in one transaction. Two runs creating the same copy at once on PostgreSQL:
    the loser's unique violation rolls back, and its retry finds the winner's copy."""
    wanted = sorted(set(opportunity_ids))
    if not wanted:
        return {}
    for attempt in range(2):
        try:
            async with write_transaction():
                chosen = {o: await questionnaire_for_opportunity(o) for o in wanted}
            break
        except CONSTRAINT_ERRORS as error:
            if attempt or not is_unique_violation(error):
                raise
    rows = await Questionnaire.select(Questionnaire.id, Questionnaire.reminder_days).where(
        Questionnaire.id.is_in(sorted(set(chosen.values())))
    )
    days = {row["id"]: parse_reminder_days(row["reminder_days"]) for row in rows}
    return {o: AssignedQuestionnaire(q, days.get(q, ())) for o, q in chosen.items()}


def _with_dedupe_key(row: tuple[Any, ...], key: str) -> tuple[Any, ...]:
    """A rendered outbox row with its dedupe key (the first of `BULK_COLUMNS`) filled in."""
    return (key, *row[1:])


async def _insert_email_rows(rows: Sequence[tuple[Any, ...]]) -> None:
    for start in range(0, len(rows), EMAIL_ROWS_PER_INSERT):
        await insert_emails(rows[start : start + EMAIL_ROWS_PER_INSERT])


async def invite_batch(participations: Sequence[Participation], settings: Settings) -> int:
    """Create the invitations and queue their emails, reminders included (due later), in one
    transaction. A participation that another run invited meanwhile is skipped (the unique
    sign_up), and so are its emails."""
    if not participations:
        return 0
    questionnaires = await questionnaires_for([p.opportunity_id for p in participations])
    now = utcnow()
    expires_at = now + dt.timedelta(days=settings.survey_valid_days)
    tokens = {participation.sign_up_id: new_token() for participation in participations}
    invitation_rows: dict[int, tuple[Any, ...]] = {}
    reminder_rows: dict[int, list[tuple[int, tuple[Any, ...]]]] = {}
    for p in participations:
        context = _mail_context(p, tokens[p.sign_up_id][0], expires_at)
        times = reminder_times(questionnaires[p.opportunity_id].reminder_days, now, expires_at)
        emails = [_survey_email(p, context, bool(times))]
        emails += [_reminder_email(p, context, moment) for _day, moment in times]
        rendered = render_emails(emails)
        invitation_rows[p.sign_up_id] = rendered[0]
        reminder_rows[p.sign_up_id] = [
            (day, row) for (day, _moment), row in zip(times, rendered[1:], strict=True)
        ]
    async with write_transaction():
        new = sorted(
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
                        questionnaires[p.opportunity_id].id,
                    )
                    for p in participations
                ],
                skip_conflicts_on=SurveyInvitation.sign_up,
                returning=SurveyInvitation.sign_up,
            )
        )
        invitation_of = await _invitation_ids(new)
        rows = [invitation_rows[sign_up] for sign_up in new]
        rows += [
            _with_dedupe_key(row, reminder_key(invitation_of[sign_up], day))
            for sign_up in new
            for day, row in reminder_rows[sign_up]
        ]
        await _insert_email_rows(rows)
    return len(new)


async def _invitation_ids(sign_up_ids: Sequence[int]) -> dict[int, int]:
    if not sign_up_ids:
        return {}
    rows = await SurveyInvitation.select(SurveyInvitation.id, SurveyInvitation.sign_up).where(
        SurveyInvitation.sign_up.is_in(list(sign_up_ids))
    )
    return {row["sign_up"]: row["id"] for row in rows}


INVITATION_COLUMNS = (
    SurveyInvitation.sign_up,
    SurveyInvitation.opportunity,
    SurveyInvitation.token_hash,
    SurveyInvitation.expires_at,
    SurveyInvitation.status,
    SurveyInvitation.created_at,
    SurveyInvitation.questionnaire,
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
    invitation_id: int | None = None
    opportunity_id: int | None = None
    questionnaire_id: int | None = None


async def survey_link(token: str) -> SurveyLink:
    """Resolve a link in one query. Answered wins over expired: that message is the kinder one."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return SurveyLink(LinkState.UNKNOWN)
    row = (
        await SurveyInvitation.select(
            SurveyInvitation.id,
            SurveyInvitation.status,
            SurveyInvitation.expires_at,
            SurveyInvitation.opportunity,
            SurveyInvitation.questionnaire,
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
    return SurveyLink(
        state,
        row["title"],
        row["starts_at"],
        row["ends_at"],
        row["expires_at"],
        invitation_id=row["id"],
        opportunity_id=row["opportunity"],
        questionnaire_id=row["questionnaire"],
    )


def _day_of(moment: dt.datetime) -> dt.datetime:
    """Times are kept to the day: an exact timestamp on both the invitation and the anonymous
    response would let anyone with database access match the two and so the person."""
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


@dataclass(frozen=True)
class LinkForm:
    """The questionnaire version a link answers and the next page it has not saved."""

    plan: VersionPlan
    next_page: int


async def _questionnaire_of(link: SurveyLink) -> int:
    """Invitations older than questionnaires answer their opportunity's."""
    if link.questionnaire_id is not None:
        return link.questionnaire_id
    assert link.opportunity_id is not None
    async with write_transaction():
        return await questionnaire_for_opportunity(link.opportunity_id)


async def link_form(token: str, link: SurveyLink) -> LinkForm | None:
    """Where an open link stands: a response in progress continues on its own version;
    otherwise the questionnaire's latest version from page 1. None: nothing to answer
    (a questionnaire without questions)."""
    progress = await response_progress(token)
    if progress is not None:
        version_id: int | None = progress.version_id
        next_page = progress.progress + 1
    else:
        version_id = await latest_version_id(await _questionnaire_of(link))
        next_page = 1
    plan = await load_plan(version_id) if version_id is not None else None
    if plan is None or not plan.pages:
        return None
    return LinkForm(plan, min(next_page, len(plan.pages)))


async def save_link_page(
    token: str, link: SurveyLink, plan: VersionPlan, page_number: int, answers: list[NewAnswer]
) -> SaveOutcome:
    """Store a page; the last one also uses the link up and drops its pending reminders, in
    the same transaction. A link answered or expired meanwhile vetoes: nothing is stored."""

    async def use_link() -> bool:
        now = utcnow()
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
            .returning(SurveyInvitation.id)
        )
        if not used:
            return False
        await _drop_pending_reminders(used[0]["id"])
        return True

    return await save_page(
        key=token,
        plan=plan,
        page_number=page_number,
        answers=answers,
        opportunity_id=link.opportunity_id,
        on_complete=use_link,
    )


async def _drop_pending_reminders(invitation_id: int) -> None:
    """Reminders are outbox rows due later; stopping them is deleting those not yet sent."""
    await OutboxEmail.delete().where(
        OutboxEmail.dedupe_key.like(f"{REMINDER_KEY_PREFIX}{invitation_id}:%"),
        OutboxEmail.status == OutboxStatus.PENDING.value,
    )


async def stop_reminders(link: SurveyLink) -> None:
    """The one-click stop ("Keine Erinnerungen mehr"): works whatever state the link is in."""
    if link.invitation_id is None:
        return
    async with write_transaction():
        await _drop_pending_reminders(link.invitation_id)


# Reminders already due whose link has expired: only possible when delivery was down for
# days (a reminder is queued only for a moment before its link's expiry). Limited to due
# rows, normally none, so the pattern join stays cheap.
_EXPIRED_REMINDERS_SQL = (
    "DELETE FROM outbox_email WHERE status = {} AND next_attempt_at <= {}"
    " AND dedupe_key LIKE 'survey_reminder:%' AND EXISTS (SELECT 1 FROM survey_invitation si"
    " WHERE si.expires_at <= {} AND outbox_email.dedupe_key LIKE"
    " 'survey_reminder:' || CAST(si.id AS TEXT) || ':%')"
)


async def drop_expired_reminders(now: dt.datetime | None = None) -> None:
    """Never a reminder for a link that no longer works."""
    now = now or utcnow()
    async with write_transaction():
        await OutboxEmail.raw(_EXPIRED_REMINDERS_SQL, OutboxStatus.PENDING.value, now, now)
