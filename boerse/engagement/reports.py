"""Reported hours: a resident reports ongoing work, the organising body's officers decide.

A decision is one conditional UPDATE on a pending report, so two officers deciding at once
cannot both win, and a decided report never changes again."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from boerse.accounts.tables import Role, User
from boerse.audit.actions import Action
from boerse.audit.services import record
from boerse.engagement.schemas import CONFIRM, CORRECT, Decision, ReportInput
from boerse.engagement.tables import HoursReport, ReportStatus
from boerse.lib.db import utcnow, write_transaction
from boerse.lib.formatting import number
from boerse.lib.i18n import N_
from boerse.lib.urls import site_url
from boerse.opportunities.tables import Opportunity, SignUp, SignUpStatus
from boerse.outbox.services import queue_email, wake_delivery

PENDING = ReportStatus.PENDING.value


@dataclass(frozen=True)
class Reportable:
    """An offer the person takes part in, as offered in the report form."""

    id: int
    title: str
    organisation: str


@dataclass(frozen=True)
class PendingReport:
    id: int
    person: str
    opportunity_id: int
    opportunity: str
    organisation_id: int
    organisation: str
    first_day: dt.date
    last_day: dt.date
    hours: float
    note: str
    created_at: dt.datetime

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1


async def reportable_opportunities(user_id: int) -> list[Reportable]:
    """Offers with a place of the person's, taken or kept (not cancelled, not only waitlisted):
    taking part is what entitles someone to report hours for it."""
    rows = await SignUp.select(
        SignUp.session.opportunity.id.as_alias("id"),
        SignUp.session.opportunity.title.as_alias("title"),
        SignUp.session.opportunity.organisation.name.as_alias("organisation"),
    ).where(
        (SignUp.user == user_id)
        & SignUp.status.is_in([SignUpStatus.REGISTERED.value, SignUpStatus.CONFIRMED.value])
    )
    unique = {row["id"]: Reportable(**row) for row in rows}
    return sorted(unique.values(), key=lambda item: (item.title.lower(), item.id))


async def _tell_officers(report_id: int, user_id: int, report: ReportInput) -> int:
    """Queues one mail per active officer of the offer's organisation, in their language:
    the list of reports to decide is otherwise found only by looking. Returns the count."""
    offer = (
        await Opportunity.select(Opportunity.title, Opportunity.organisation)
        .where(Opportunity.id == report.opportunity_id)
        .first()
    )
    person = await User.select(User.display_name).where(User.id == user_id).first()
    officers = await User.select(User.id, User.email, User.display_name, User.language).where(
        (User.organisation == offer["organisation"])
        & (User.role == Role.OFFICER.value)
        & (User.is_active == True)  # noqa: E712 - SQL
    )
    for officer in officers:
        await queue_email(
            f"hours_reported:{report_id}:{officer['id']}",
            officer["email"],
            N_("Neue Stundenmeldung: {title}"),
            "engagement_hours_reported",
            {
                "name": officer["display_name"],
                "person": person["display_name"] if person else "",
                "title": offer["title"],
                "first_day": report.first_day,
                "last_day": report.last_day,
                "hours": report.hours,
                "pending_url": site_url("engagement:decide_form", report_id=report_id),
            },
            language=officer["language"],
            subject_args={"title": offer["title"]},
        )
    return len(officers)


async def create_report(user_id: int, report: ReportInput) -> int:
    """Saves a pending report and tells the organisation's officers (through the outbox)."""
    async with write_transaction():
        row = await HoursReport.insert(
            HoursReport(
                user=user_id,
                opportunity=report.opportunity_id,
                first_day=report.first_day,
                last_day=report.last_day,
                hours=report.hours,
                note=report.note,
            )
        ).returning(HoursReport.id)
        told = await _tell_officers(row[0]["id"], user_id, report)
    if told:
        await wake_delivery()
    return row[0]["id"]


async def withdraw_report(user_id: int, report_id: int) -> bool:
    """The author takes back a report that nobody has decided on yet."""
    async with write_transaction():
        deleted = (
            await HoursReport.delete()
            .where(
                (HoursReport.id == report_id)
                & (HoursReport.user == user_id)
                & (HoursReport.status == PENDING)
            )
            .returning(HoursReport.id)
        )
    return bool(deleted)


_PENDING_COLUMNS = (
    HoursReport.id,
    HoursReport.user.display_name.as_alias("person"),
    HoursReport.opportunity.id.as_alias("opportunity_id"),
    HoursReport.opportunity.title.as_alias("opportunity"),
    HoursReport.opportunity.organisation.id.as_alias("organisation_id"),
    HoursReport.opportunity.organisation.name.as_alias("organisation"),
    HoursReport.first_day,
    HoursReport.last_day,
    HoursReport.hours,
    HoursReport.note,
    HoursReport.created_at,
)


async def pending_reports(organisation_id: int | None) -> list[PendingReport]:
    """Open reports, oldest first: of one organisation's offers, or of all (None)."""
    query = HoursReport.select(*_PENDING_COLUMNS).where(HoursReport.status == PENDING)
    if organisation_id is not None:
        query = query.where(HoursReport.opportunity.organisation == organisation_id)
    rows = await query.order_by(HoursReport.created_at).order_by(HoursReport.id)
    return [PendingReport(**row) for row in rows]


async def report_for_decision(report_id: int) -> PendingReport | None:
    """A pending report with its organisation, for the access check and the decision form."""
    row = (
        await HoursReport.select(*_PENDING_COLUMNS)
        .where((HoursReport.id == report_id) & (HoursReport.status == PENDING))
        .first()
    )
    return PendingReport(**row) if row else None


async def report_organisation(report_id: int) -> int | None:
    row = (
        await HoursReport.select(HoursReport.opportunity.organisation.as_alias("organisation"))
        .where(HoursReport.id == report_id)
        .first()
    )
    return row["organisation"] if row else None


_ACTIONS = {
    ReportStatus.CONFIRMED.value: Action.HOURS_CONFIRMED,
    ReportStatus.CORRECTED.value: Action.HOURS_CORRECTED,
    ReportStatus.REJECTED.value: Action.HOURS_REJECTED,
}


async def decide(report: PendingReport, decision: Decision, officer_id: int) -> bool:
    """Confirms, corrects or rejects; False when someone else decided first."""
    if decision.decision == CONFIRM:
        status, hours, reason = ReportStatus.CONFIRMED.value, report.hours, ""
    elif decision.decision == CORRECT:
        status, hours, reason = ReportStatus.CORRECTED.value, decision.hours, decision.reason
    else:
        status, hours, reason = ReportStatus.REJECTED.value, None, decision.reason
    async with write_transaction():
        changed = (
            await HoursReport.update(
                {
                    HoursReport.status: status,
                    HoursReport.confirmed_hours: hours,
                    HoursReport.reason: reason,
                    HoursReport.decided_by: officer_id,
                    HoursReport.decided_at: utcnow(),
                }
            )
            .where((HoursReport.id == report.id) & (HoursReport.status == PENDING))
            .returning(HoursReport.id)
        )
        if changed:
            # The offer's title and the figure only: no name, no note, no reason.
            summary = f"{report.opportunity}: {number(hours or report.hours, 2)} h"
            await record(_ACTIONS[status], report.opportunity_id, summary=summary)
    return bool(changed)
