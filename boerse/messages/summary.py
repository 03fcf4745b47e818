"""The officers' daily sign-up summary: each morning, for the officers who asked for it, the
new sign-ups and cancellations of the last day on their organisation's dates.

The day is fixed, from 07:00 yesterday to 07:00 today in the town, whenever the job runs:
a worker that was down at seven sends the same summary later, and the next summary starts
where this one ended, so nothing falls between two mails. The key
`signup_summary:<user id>:<date>` sends it once a day; a day without news sends nothing."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from boerse.accounts.tables import Role, User
from boerse.lib.db import utcnow, write_transaction
from boerse.lib.formatting import TOWN_TIMEZONE
from boerse.lib.i18n import N_
from boerse.lib.urls import site_url
from boerse.messages.services import OptOut, opt_out_url
from boerse.opportunities.tables import SignUp, SignUpStatus
from boerse.outbox.services import (
    NewEmail,
    insert_emails,
    render_emails,
    unsubscribe_headers,
    wake_delivery,
)

SEND_FROM_HOUR = 7
SUBJECT = N_("Neue Anmeldungen bei {organisation}")
STAFF_ROLES = (Role.OFFICER.value, Role.ADMIN.value)
CANCELLED = SignUpStatus.CANCELLED.value
WAITLISTED = SignUpStatus.WAITLISTED.value


@dataclass(frozen=True)
class Window:
    day: dt.date
    """The town's date the summary is for (the morning it is sent)."""
    start: dt.datetime
    end: dt.datetime


def window_at(now: dt.datetime) -> Window | None:
    """The last day up to 07:00 today in the town; None before seven (not time yet)."""
    local = now.astimezone(TOWN_TIMEZONE)
    if local.hour < SEND_FROM_HOUR:
        return None
    seven = dt.time(SEND_FROM_HOUR)
    end = dt.datetime.combine(local.date(), seven, TOWN_TIMEZONE)
    start = dt.datetime.combine(local.date() - dt.timedelta(days=1), seven, TOWN_TIMEZONE)
    return Window(local.date(), start.astimezone(dt.UTC), end.astimezone(dt.UTC))


async def _subscribers() -> list[dict[str, Any]]:
    """Active staff of an organisation who switched the summary on (one query)."""
    return await User.select(
        User.id,
        User.email,
        User.display_name.as_alias("name"),
        User.language,
        User.organisation.as_alias("organisation_id"),
        User.organisation.name.as_alias("organisation_name"),
    ).where(
        User.signup_summary_ok.eq(True)
        & User.is_active.eq(True)
        & User.role.is_in(list(STAFF_ROLES))
        & User.organisation.is_not_null()
    )


async def _changes(organisation_ids: list[int], window: Window) -> dict[int, list[dict[str, Any]]]:
    """Per organisation: sign-ups made in the window (still live) and those cancelled in it,
    grouped by date in date order (one query). "Made" counts by `signed_up_at`, so someone
    who cancelled and signed up again (the same row, its old `created_at`) is news too."""
    opportunity = SignUp.session.opportunity
    made = (SignUp.signed_up_at >= window.start) & (SignUp.signed_up_at < window.end)
    made &= SignUp.status != CANCELLED
    cancelled = (SignUp.updated_at >= window.start) & (SignUp.updated_at < window.end)
    cancelled &= SignUp.status == CANCELLED
    rows = (
        await SignUp.select(
            SignUp.status,
            SignUp.companions,
            SignUp.user.display_name.as_alias("name"),
            SignUp.session.as_alias("session_id"),
            SignUp.session.starts_at.as_alias("starts_at"),
            SignUp.session.ends_at.as_alias("ends_at"),
            opportunity.title.as_alias("title"),
            opportunity.organisation.as_alias("organisation_id"),
        )
        .where(opportunity.organisation.is_in(organisation_ids) & (made | cancelled))
        .order_by(SignUp.session.starts_at)
        .order_by(SignUp.id)
    )
    dates: dict[int, dict[int, dict[str, Any]]] = defaultdict(dict)
    for row in rows:
        date = dates[row["organisation_id"]].setdefault(
            row["session_id"],
            {
                "title": row["title"],
                "starts_at": row["starts_at"],
                "ends_at": row["ends_at"],
                "people": [],
            },
        )
        date["people"].append(
            {
                "name": row["name"] or "",
                "companions": row["companions"] or 0,
                "cancelled": row["status"] == CANCELLED,
                "waitlisted": row["status"] == WAITLISTED,
            }
        )
    return {org: list(by_date.values()) for org, by_date in dates.items()}


def _email(person: dict[str, Any], window: Window, dates: list[dict[str, Any]]) -> NewEmail:
    """The link to switch the summary off works without logging in; mail programs get it
    as `List-Unsubscribe` with the one-click POST."""
    opt_out = opt_out_url(person["id"], OptOut.SUMMARY)
    return NewEmail(
        dedupe_key=f"signup_summary:{person['id']}:{window.day.isoformat()}",
        recipient=person["email"],
        subject=SUBJECT,
        template="signup_summary",
        context={
            "name": person["name"] or "",
            "organisation_name": person["organisation_name"],
            "start": window.start,
            "end": window.end,
            "dates": dates,
            "signups": sum(not p["cancelled"] for d in dates for p in d["people"]),
            "cancellations": sum(p["cancelled"] for d in dates for p in d["people"]),
            "manage_url": site_url("opportunities:manage"),
            "settings_url": site_url("accounts:notifications"),
            "opt_out_url": opt_out,
        },
        headers=unsubscribe_headers(opt_out),
        language=person["language"] or "de",
        subject_args={"organisation": person["organisation_name"]},
    )


async def send_daily_summaries(now: dt.datetime | None = None) -> int:
    """Queue today's summary for every subscriber with news; returns how many are new
    (0 before seven, on a day without news, and when today's went out already)."""
    window = window_at(now or utcnow())
    if window is None:
        return 0
    people = await _subscribers()
    if not people:
        return 0
    changes = await _changes(sorted({p["organisation_id"] for p in people}), window)
    emails = [
        _email(person, window, changes[person["organisation_id"]])
        for person in people
        if changes.get(person["organisation_id"])
    ]
    if not emails:
        return 0
    rows = render_emails(emails)
    async with write_transaction():
        queued = await insert_emails(rows)
    if queued:
        await wake_delivery()
    return queued
