"""Every query of the assessments domain: campaigns, their single-use links and who answered.

Answers themselves go through the questionnaires' answering engine; this module only says
whether a link or an account may still answer and records, in the completing transaction,
that it did."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass
from enum import StrEnum

from piccolo.query.functions.aggregate import Count

from boerse.assessments.schemas import BLANK_SOURCE, AssessmentInput
from boerse.assessments.tables import (
    Assessment,
    AssessmentAccess,
    AssessmentLink,
    AssessmentParticipant,
    LinkStatus,
)
from boerse.audit.actions import Action
from boerse.audit.services import record
from boerse.lib.db import utcnow, write_transaction
from boerse.lib.i18n import N_
from boerse.lib.security import hash_token, new_token
from boerse.lib.urls import site_url
from boerse.outbox.services import NewEmail, insert_emails, render_emails, wake_delivery
from boerse.outbox.tables import OutboxEmail
from boerse.questionnaires.model import copy_questionnaire, insert_questionnaire
from boerse.questionnaires.tables import Questionnaire, Response

SLUG_BYTES = 12
"""16 URL-safe characters, 96 random bits: a campaign cannot be found by guessing."""
_SLUG = re.compile(r"[A-Za-z0-9_-]{1,40}")
MAX_TOKEN_LENGTH = 100
"""Our tokens are 43 characters; anything much longer is not ours and is not even hashed."""


class Phase(StrEnum):
    UPCOMING = "upcoming"
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True)
class AssessmentRow:
    id: int
    questionnaire_id: int
    organisation_id: int
    organisation_name: str
    title: str
    description: str
    slug: str
    access: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    created_at: dt.datetime

    def phase(self, now: dt.datetime | None = None) -> Phase:
        now = now or utcnow()
        if now < self.opens_at:
            return Phase.UPCOMING
        if now >= self.closes_at:
            return Phase.CLOSED
        return Phase.OPEN

    @property
    def last_moment(self) -> dt.datetime:
        """The last second of the period (its end is midnight after the last day)."""
        return self.closes_at - dt.timedelta(seconds=1)

    @property
    def by_link(self) -> bool:
        return self.access == AssessmentAccess.LINK.value


ROW_COLUMNS = (
    Assessment.id,
    Assessment.questionnaire.as_alias("questionnaire_id"),
    Assessment.organisation.as_alias("organisation_id"),
    Assessment.organisation.name.as_alias("organisation_name"),
    Assessment.title,
    Assessment.description,
    Assessment.slug,
    Assessment.access,
    Assessment.opens_at,
    Assessment.closes_at,
    Assessment.created_at,
)


async def _rows(*conditions, order_by_opening: bool = False) -> list[AssessmentRow]:
    query = Assessment.select(*ROW_COLUMNS).where(*conditions)
    if order_by_opening:
        query = query.order_by(Assessment.closes_at)
    else:
        query = query.order_by(Assessment.created_at, ascending=False)
    return [AssessmentRow(**row) for row in await query.order_by(Assessment.id, ascending=False)]


async def assessment(assessment_id: int) -> AssessmentRow | None:
    rows = await _rows(Assessment.id == assessment_id)
    return rows[0] if rows else None


async def assessment_by_slug(slug: str) -> AssessmentRow | None:
    if not _SLUG.fullmatch(slug):
        return None
    rows = await _rows(Assessment.slug == slug)
    return rows[0] if rows else None


@dataclass(frozen=True)
class ListedAssessment:
    row: AssessmentRow
    responses: int
    """Completed responses, across the questionnaire's versions."""


async def organisation_assessments(organisation_id: int | None) -> list[ListedAssessment]:
    """An organisation's campaigns, newest first (all of them for `None`, administrators),
    with their completed responses: two queries whatever their number."""
    conditions = [] if organisation_id is None else [Assessment.organisation == organisation_id]
    rows = await _rows(*conditions)
    counts = await completed_responses([row.questionnaire_id for row in rows])
    return [ListedAssessment(row, counts.get(row.questionnaire_id, 0)) for row in rows]


async def completed_responses(questionnaire_ids: list[int]) -> dict[int, int]:
    if not questionnaire_ids:
        return {}
    rows = (
        await Response.select(Response.questionnaire, Count(Response.id, alias="answers"))
        .where(Response.questionnaire.is_in(questionnaire_ids), Response.completed.eq(True))
        .group_by(Response.questionnaire)
    )
    return {row["questionnaire"]: row["answers"] for row in rows}


async def open_assessments(now: dt.datetime | None = None) -> list[AssessmentRow]:
    """The public list: open now, the one closing soonest first."""
    now = now or utcnow()
    return await _rows(
        Assessment.opens_at <= now, Assessment.closes_at > now, order_by_opening=True
    )


# --- creating and editing --------------------------------------------------------------


@dataclass(frozen=True)
class SourceChoice:
    value: str
    label: str
    is_template: bool


async def source_choices(organisation_id: int | None) -> list[SourceChoice]:
    """What a new campaign may start from: every template an officer may read (built-in
    and town-wide, the organisation's own) and the organisation's own questionnaires."""
    condition = Questionnaire.is_template.eq(True) & Questionnaire.organisation.is_null()
    if organisation_id is not None:
        condition = condition | (Questionnaire.organisation == organisation_id)
    rows = (
        await Questionnaire.select(
            Questionnaire.id, Questionnaire.title, Questionnaire.language, Questionnaire.is_template
        )
        .where(condition)
        .order_by(Questionnaire.is_template, ascending=False)
        .order_by(Questionnaire.title)
        .order_by(Questionnaire.id)
    )
    return [
        SourceChoice(
            str(row["id"]),
            f"{row['title']} ({row['language'].upper()})" if row["is_template"] else row["title"],
            row["is_template"],
        )
        for row in rows
    ]


def new_slug() -> str:
    return secrets.token_urlsafe(SLUG_BYTES)


async def _blank_questionnaire(data: AssessmentInput, organisation_id: int, user_id: int) -> int:
    return await insert_questionnaire(
        organisation=organisation_id,
        title=data.title,
        intro=data.description,
        reminder_days="",
        created_by=user_id,
    )


async def create_assessment(data: AssessmentInput, organisation_id: int, user_id: int) -> int:
    """The campaign and its own questionnaire (a copy of the chosen source, so editing it
    never changes the template or another campaign), in one transaction."""
    async with write_transaction():
        if data.source == BLANK_SOURCE:
            questionnaire_id = await _blank_questionnaire(data, organisation_id, user_id)
        else:
            questionnaire_id = await copy_questionnaire(
                int(data.source),
                organisation_id=organisation_id,
                created_by=user_id,
                title=data.title,
            )
            await Questionnaire.update({Questionnaire.reminder_days: ""}).where(
                Questionnaire.id == questionnaire_id
            )
        inserted = await Assessment.insert(
            Assessment(
                questionnaire=questionnaire_id,
                organisation=organisation_id,
                title=data.title,
                description=data.description,
                slug=new_slug(),
                access=data.access,
                opens_at=data.opens_at,
                closes_at=data.closes_at,
                created_by=user_id,
                created_at=utcnow(),
            )
        ).returning(Assessment.id)
        assessment_id = inserted[0]["id"]
        await record(Action.ASSESSMENT_CREATED, assessment_id, summary=data.title)
    return assessment_id


async def update_assessment(assessment_id: int, data: AssessmentInput) -> None:
    """Title, description, period and access; the questionnaire is edited in the builder."""
    async with write_transaction():
        await Assessment.update(
            {
                Assessment.title: data.title,
                Assessment.description: data.description,
                Assessment.opens_at: data.opens_at,
                Assessment.closes_at: data.closes_at,
                Assessment.access: data.access,
            }
        ).where(Assessment.id == assessment_id)
        await record(Action.ASSESSMENT_EDITED, assessment_id, summary=data.title)


# --- single-use links ------------------------------------------------------------------


def address_digest(address: str) -> str:
    return hashlib.sha256(address.encode()).hexdigest()


def invitation_key(assessment_id: int, address: str) -> str:
    """The outbox's dedupe key: the cause without the address itself."""
    return f"assessment_link:{assessment_id}:{address_digest(address)}"


@dataclass(frozen=True)
class InviteOutcome:
    sent: int
    already: int
    """Addresses invited to this assessment before (each gets one link only)."""


def _invitation(row: AssessmentRow, address: str, token: str) -> NewEmail:
    """The token exists only here and in the mail: the outbox row is its one durable copy."""
    return NewEmail(
        invitation_key(row.id, address),
        address,
        N_("Ihre Meinung ist gefragt: {title}"),
        "assessment_invitation",
        {
            "title": row.title,
            "description": row.description,
            "organisation": row.organisation_name,
            "closes_at": row.last_moment,
            "url": site_url("assessments:answer_link", slug=row.slug, token=token),
        },
        subject_args={"title": row.title},
    )


async def invite(row: AssessmentRow, addresses: tuple[str, ...]) -> InviteOutcome:
    """One mail with its own single-use link per address not invited before, queued with
    its link in one transaction; the audit entry counts them and names nobody. The mails
    are rendered before the transaction, so SQLite's one writer is not held meanwhile."""
    keys = {address: invitation_key(row.id, address) for address in addresses}
    tokens = {address: new_token() for address in addresses}
    rendered = dict(
        zip(
            addresses,
            render_emails([_invitation(row, a, tokens[a][0]) for a in addresses]),
            strict=True,
        )
    )
    async with write_transaction():
        known = {
            item["dedupe_key"]
            for item in await OutboxEmail.select(OutboxEmail.dedupe_key).where(
                OutboxEmail.dedupe_key.is_in(list(keys.values()))
            )
        }
        new = [address for address in addresses if keys[address] not in known]
        if new:
            now = utcnow()
            await AssessmentLink.insert(
                *(
                    AssessmentLink(
                        assessment=row.id,
                        token_hash=tokens[address][1],
                        status=LinkStatus.SENT.value,
                        created_at=now,
                    )
                    for address in new
                )
            )
            await insert_emails([rendered[address] for address in new])
            await record(Action.ASSESSMENT_INVITED, row.id, count=len(new), summary=row.title)
    if new:
        await wake_delivery()
    return InviteOutcome(sent=len(new), already=len(addresses) - len(new))


@dataclass(frozen=True)
class LinkCounts:
    sent: int
    answered: int


async def link_counts(assessment_id: int) -> LinkCounts:
    rows = (
        await AssessmentLink.select(AssessmentLink.status, Count(AssessmentLink.id, alias="links"))
        .where(AssessmentLink.assessment == assessment_id)
        .group_by(AssessmentLink.status)
    )
    counts = {row["status"]: row["links"] for row in rows}
    answered = counts.get(LinkStatus.ANSWERED.value, 0)
    return LinkCounts(sent=answered + counts.get(LinkStatus.SENT.value, 0), answered=answered)


class LinkState(StrEnum):
    OPEN = "open"
    UNKNOWN = "unknown"
    ANSWERED = "answered"


async def link_state(assessment_id: int, token: str) -> LinkState:
    """A token of another assessment is as unknown as a made-up one."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return LinkState.UNKNOWN
    row = (
        await AssessmentLink.select(AssessmentLink.status)
        .where(
            AssessmentLink.token_hash == hash_token(token),
            AssessmentLink.assessment == assessment_id,
        )
        .first()
    )
    if row is None:
        return LinkState.UNKNOWN
    return LinkState.ANSWERED if row["status"] == LinkStatus.ANSWERED.value else LinkState.OPEN


async def use_link(assessment_id: int, token: str) -> bool:
    """Inside the completing transaction: mark the link answered; False (veto) when it was
    used meanwhile, so a double submit or a second tab stores once."""
    used = (
        await AssessmentLink.update({AssessmentLink.status: LinkStatus.ANSWERED.value})
        .where(
            AssessmentLink.token_hash == hash_token(token),
            AssessmentLink.assessment == assessment_id,
            AssessmentLink.status == LinkStatus.SENT.value,
        )
        .returning(AssessmentLink.id)
    )
    return bool(used)


# --- account access --------------------------------------------------------------------


async def has_answered(assessment_id: int, user_id: int) -> bool:
    return await AssessmentParticipant.exists().where(
        AssessmentParticipant.assessment == assessment_id,
        AssessmentParticipant.user == user_id,
        AssessmentParticipant.completed.eq(True),
    )


async def mark_participant(assessment_id: int, user_id: int) -> bool:
    """Inside the completing transaction: record that the account answered; False (veto)
    when it had already, which the unique (assessment, user) index decides even for two
    concurrent submits on PostgreSQL."""
    inserted = await AssessmentParticipant.raw(
        'INSERT INTO assessment_participant (assessment, "user", completed) '
        "VALUES ({}, {}, {}) "
        'ON CONFLICT (assessment, "user") DO NOTHING RETURNING id',
        assessment_id,
        user_id,
        True,
    )
    return bool(inserted)
