"""Replies to the participants: every query of the replies domain.

Publishing a reply and changing its status are each one `ReplyUpdate`; inside the same
transaction every participant of the assessed opportunity (for a goal: of every opportunity
linked to it or its sub-goals) gets a mail about it. Such a list is at most a few thousand
people, so the mails are
rendered before the transaction and inserted in batches of `EMAIL_ROWS_PER_INSERT` inside
it: the update and its mails are written together or not at all, without a worker job."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from piccolo.columns.combination import WhereRaw

from boerse.accounts.tables import User
from boerse.audit.actions import Action
from boerse.audit.services import record
from boerse.goals.services import linked_opportunity_ids
from boerse.lib.db import CachedSelect, utcnow, write_transaction
from boerse.lib.i18n import N_
from boerse.lib.urls import site_url
from boerse.opportunities.tables import (
    HOLDING_STATUSES,
    Attendance,
    Opportunity,
    OpportunityStatus,
    SignUp,
)
from boerse.outbox.services import (
    NewEmail,
    insert_emails,
    render_emails,
    unsubscribe_headers,
    wake_delivery,
)
from boerse.replies.tables import Reply, ReplyOptOut, ReplyStatus, ReplyUpdate
from boerse.settings import get_settings

STATUS_LABELS: dict[str, str] = {
    ReplyStatus.PLANNED.value: N_("geplant"),
    ReplyStatus.IN_PROGRESS.value: N_("in Umsetzung"),
    ReplyStatus.DONE.value: N_("umgesetzt"),
}
EMAIL_ROWS_PER_INSERT = 1000
PUBLIC_LIST_LIMIT = 100


@dataclass(frozen=True)
class ReplyData:
    """What an officer types: the texts, the status and its date."""

    title: str
    learned: str
    changes: str
    status: str
    status_date: dt.date | None


@dataclass(frozen=True)
class ReplyRow:
    id: int
    opportunity_id: int | None
    questionnaire_id: int | None
    goal_id: int | None
    target_title: str
    organisation_id: int | None
    organisation_name: str
    title: str
    learned: str
    changes: str
    status: str
    status_date: dt.date | None
    published: bool
    published_at: dt.datetime | None
    updated_at: dt.datetime

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


@dataclass(frozen=True)
class Participant:
    user_id: int
    email: str
    name: str
    language: str


_COLUMNS = (
    Reply.id,
    Reply.opportunity.as_alias("opportunity_id"),
    Reply.questionnaire.as_alias("questionnaire_id"),
    Reply.opportunity.title.as_alias("target_title"),
    Reply.opportunity.organisation.as_alias("organisation_id"),
    Reply.opportunity.organisation.name.as_alias("organisation_name"),
    Reply.questionnaire.title.as_alias("questionnaire_title"),
    Reply.questionnaire.organisation.as_alias("questionnaire_organisation_id"),
    Reply.questionnaire.organisation.name.as_alias("questionnaire_organisation_name"),
    Reply.goal.as_alias("goal_id"),
    Reply.goal.title.as_alias("goal_title"),
    Reply.created_by.organisation.as_alias("author_organisation_id"),
    Reply.created_by.organisation.name.as_alias("author_organisation_name"),
    Reply.title,
    Reply.learned,
    Reply.changes,
    Reply.status,
    Reply.status_date,
    Reply.published,
    Reply.published_at,
    Reply.updated_at,
)


def _row(row: dict[str, Any]) -> ReplyRow:
    """The target's title and organisation come from whichever target the reply has; a
    goal belongs to no organisation, so its reply names its author's (none for the
    administration)."""
    row = dict(row)
    questionnaire = (
        row.pop("questionnaire_title"),
        row.pop("questionnaire_organisation_id"),
        row.pop("questionnaire_organisation_name"),
    )
    goal_title = row.pop("goal_title")
    author = (row.pop("author_organisation_id"), row.pop("author_organisation_name"))
    if row["questionnaire_id"] is not None:
        row["target_title"], row["organisation_id"], row["organisation_name"] = questionnaire
    elif row["goal_id"] is not None:
        row["target_title"] = goal_title
        row["organisation_id"], row["organisation_name"] = author
    row["target_title"] = row["target_title"] or ""
    row["organisation_name"] = row["organisation_name"] or ""
    return ReplyRow(**row)


async def reply_row(reply_id: int) -> ReplyRow | None:
    row = await Reply.select(*_COLUMNS).where(Reply.id == reply_id).first()
    return _row(row) if row else None


async def replies_for_opportunity(
    opportunity_id: int, *, published_only: bool = True
) -> list[ReplyRow]:
    """The replies shown under an opportunity's results: the public sees published ones,
    the officers their drafts too. Newest first."""
    select = _PUBLISHED_OF_OPPORTUNITY if published_only else _ALL_OF_OPPORTUNITY
    return [_row(row) for row in await select.rows(opportunity_id)]


def _of_opportunity(condition: str) -> CachedSelect:
    """Every results page shows these replies; their select has eight joins."""
    return CachedSelect(
        lambda: (
            Reply.select(*_COLUMNS)
            .where(WhereRaw(f"reply.opportunity = id__{condition}"))
            .order_by(Reply.id, ascending=False)
        ),
        "id__",
    )


_PUBLISHED_OF_OPPORTUNITY = _of_opportunity(" AND reply.published = TRUE")
_ALL_OF_OPPORTUNITY = _of_opportunity("")


async def replies_for_questionnaire(
    questionnaire_id: int, *, published_only: bool = True
) -> list[ReplyRow]:
    """The replies to a standalone questionnaire (an assessment or walk audit of its own)."""
    query = Reply.select(*_COLUMNS).where(Reply.questionnaire == questionnaire_id)
    if published_only:
        query = query.where(Reply.published.eq(True))
    return [_row(row) for row in await query.order_by(Reply.id, ascending=False)]


async def replies_for_goals(
    goal_ids: Sequence[int], *, published_only: bool = True
) -> list[ReplyRow]:
    """The replies shown on a goal's page: to the goal and, for a main goal, its sub-goals."""
    query = Reply.select(*_COLUMNS).where(Reply.goal.is_in(list(goal_ids) or [0]))
    if published_only:
        query = query.where(Reply.published.eq(True))
    return [_row(row) for row in await query.order_by(Reply.id, ascending=False)]


@dataclass(frozen=True)
class HistoryEntry:
    """One publication or status change, as the participants were told about it."""

    status: str
    status_date: dt.date | None
    created_at: dt.datetime

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


async def reply_history(reply_id: int) -> list[HistoryEntry]:
    rows = (
        await ReplyUpdate.select(
            ReplyUpdate.status, ReplyUpdate.status_date, ReplyUpdate.created_at
        )
        .where(ReplyUpdate.reply == reply_id)
        .order_by(ReplyUpdate.id)
    )
    return [HistoryEntry(**row) for row in rows]


async def published_replies(limit: int = PUBLIC_LIST_LIMIT) -> list[ReplyRow]:
    """The public list: published replies of opportunities that are not drafts."""
    rows = (
        await Reply.select(*_COLUMNS)
        .where(
            Reply.published.eq(True),
            (Reply.opportunity.status != OpportunityStatus.DRAFT.value)
            | Reply.opportunity.is_null(),
        )
        .order_by(Reply.published_at, ascending=False)
        .limit(limit)
    )
    return [_row(row) for row in rows]


def _values(data: ReplyData) -> dict[Any, Any]:
    return {
        Reply.title: data.title,
        Reply.learned: data.learned,
        Reply.changes: data.changes,
        Reply.status: data.status,
        Reply.status_date: data.status_date,
        Reply.updated_at: utcnow(),
    }


async def create_reply(
    data: ReplyData,
    user_id: int,
    *,
    opportunity_id: int | None = None,
    questionnaire_id: int | None = None,
    goal_id: int | None = None,
) -> int:
    """A draft for exactly one target: nobody but those who manage it sees it and nobody
    is mailed until it is published."""
    if [opportunity_id, questionnaire_id, goal_id].count(None) != 2:
        raise ValueError("a reply answers exactly one opportunity, questionnaire or goal")
    async with write_transaction():
        reply = Reply(
            opportunity=opportunity_id,
            questionnaire=questionnaire_id,
            goal=goal_id,
            created_by=user_id,
        )
        for column, value in _values(data).items():
            setattr(reply, column._meta.name, value)
        await reply.save()
        await record(Action.REPLY_SAVED, opportunity_id, summary=data.title)
    return reply.id


async def update_reply(row: ReplyRow, data: ReplyData) -> int:
    """Saves the texts; a published reply whose status or date changed becomes a new update
    and is mailed. Returns how many mails were queued."""
    status_changed = (data.status, data.status_date) != (row.status, row.status_date)
    participants = await recipients_of(row) if row.published and status_changed else []
    async with write_transaction():
        await Reply.update(_values(data)).where(Reply.id == row.id)
        await record(Action.REPLY_SAVED, row.opportunity_id, summary=data.title)
        if not (row.published and status_changed):
            return 0
        await record(Action.REPLY_STATUS_CHANGED, row.opportunity_id, summary=data.title)
        queued = await _new_update(row.id, data, participants, status_change=True)
    await wake_delivery()
    return queued


async def publish_reply(row: ReplyRow) -> int:
    """Makes the reply public and mails every participant. Returns how many mails were
    queued; publishing an already published reply does nothing."""
    if row.published:
        return 0
    participants = await recipients_of(row)
    data = ReplyData(row.title, row.learned, row.changes, row.status, row.status_date)
    async with write_transaction():
        if await Reply.exists().where(Reply.id == row.id, Reply.published.eq(True)):
            return 0
        await Reply.update(
            {Reply.published: True, Reply.published_at: utcnow(), Reply.updated_at: utcnow()}
        ).where(Reply.id == row.id)
        await record(Action.REPLY_PUBLISHED, row.opportunity_id, summary=row.title)
        queued = await _new_update(row.id, data, participants, status_change=False)
    await wake_delivery()
    return queued


async def _new_update(
    reply_id: int, data: ReplyData, participants: Sequence[Participant], *, status_change: bool
) -> int:
    """Inside the caller's transaction: the update row, then one mail per participant."""
    update = ReplyUpdate(reply=reply_id, status=data.status, status_date=data.status_date)
    await update.save()
    emails = [_email(update.id, reply_id, data, p, status_change) for p in participants]
    rows = render_emails(emails)
    queued = 0
    for start in range(0, len(rows), EMAIL_ROWS_PER_INSERT):
        queued += await insert_emails(rows[start : start + EMAIL_ROWS_PER_INSERT])
    return queued


def _email(
    update_id: int, reply_id: int, data: ReplyData, p: Participant, status_change: bool
) -> NewEmail:
    subject = N_("Neuer Stand: {title}") if status_change else N_("Wir haben gehandelt: {title}")
    opt_out = opt_out_url(p.user_id)  # in the text, and as List-Unsubscribe for mail programs
    return NewEmail(
        dedupe_key=f"reply:{update_id}:{p.user_id}",
        recipient=p.email,
        subject=subject,
        template="reply_update",
        context={
            "name": p.name,
            "title": data.title,
            "learned": data.learned,
            "changes": data.changes,
            "status_label": STATUS_LABELS.get(data.status, data.status),
            "status_date": data.status_date,
            "status_change": status_change,
            "reply_url": site_url("replies:detail", reply_id=reply_id),
            "opt_out_url": opt_out,
        },
        headers=unsubscribe_headers(opt_out),
        language=p.language,
        subject_args={"title": data.title},
    )


async def recipients_of(row: ReplyRow) -> list[Participant]:
    """Who hears of a reply: the participants of its opportunity, or of every opportunity
    linked to its goal (or the goal's sub-goals); nobody for a standalone questionnaire,
    whose respondents are anonymous and took part in no session."""
    if row.opportunity_id is not None:
        return await participants_of(row.opportunity_id)
    if row.goal_id is not None:
        return await _participants(await linked_opportunity_ids(row.goal_id))
    return []


async def participants_of(opportunity_id: int) -> list[Participant]:
    return await _participants([opportunity_id])


async def _participants(opportunity_ids: Sequence[int]) -> list[Participant]:
    """Everyone who took part in an ended session of the opportunities: a holding sign-up
    not recorded absent, whether or not they answered (answers stay anonymous); without
    those who opted out. One row per person, however many sessions they attended."""
    if not opportunity_ids:
        return []
    opted_out = {row["user"] for row in await ReplyOptOut.select(ReplyOptOut.user)}
    rows = await SignUp.select(
        SignUp.user.as_alias("user_id"),
        SignUp.user.email.as_alias("email"),
        SignUp.user.display_name.as_alias("name"),
        SignUp.user.language.as_alias("language"),
        SignUp.attendance,
    ).where(
        SignUp.session.opportunity.is_in(list(opportunity_ids)),
        SignUp.session.ends_at < utcnow(),
        SignUp.status.is_in(list(HOLDING_STATUSES)),
        SignUp.user.is_active.eq(True),
    )
    people: dict[int, Participant] = {}
    for row in rows:
        if row["attendance"] == Attendance.ABSENT.value or row["user_id"] in opted_out:
            continue
        people[row["user_id"]] = Participant(
            row["user_id"], row["email"], row["name"] or "", row["language"] or "de"
        )
    return [people[key] for key in sorted(people)]


# --- opting out -------------------------------------------------------------------------


def opt_out_token(user_id: int) -> str:
    """A link that works without logging in and only for this person."""
    message = f"reply_opt_out:{user_id}".encode()
    return hmac.new(get_settings().secret_key.encode(), message, hashlib.sha256).hexdigest()[:32]


def opt_out_url(user_id: int) -> str:
    """The key goes into the query (`?token=`), which the logs redact like every key."""
    return f"{site_url('replies:opt_out', user_id=user_id)}?token={opt_out_token(user_id)}"


def valid_opt_out(user_id: int, token: str) -> bool:
    return hmac.compare_digest(opt_out_token(user_id), token)


async def opt_out(user_id: int) -> None:
    """Idempotent: a second click keeps the one row."""
    async with write_transaction():
        exists = await ReplyOptOut.exists().where(ReplyOptOut.user == user_id)
        if not exists and await User.exists().where(User.id == user_id):
            await ReplyOptOut.insert(ReplyOptOut(user=user_id))


async def has_opted_out(user_id: int) -> bool:
    return await ReplyOptOut.exists().where(ReplyOptOut.user == user_id)


async def target_is_public(row: ReplyRow) -> bool:
    """A reply to an opportunity is public only where its results are: not for a draft. A
    standalone questionnaire and a goal have no draft state: their published replies are
    public (a retired goal's page stays as history, and so do its replies)."""
    if row.opportunity_id is None:
        return True
    status = (
        await Opportunity.select(Opportunity.status)
        .where(Opportunity.id == row.opportunity_id)
        .first()
    )
    return status is not None and status["status"] != OpportunityStatus.DRAFT.value
