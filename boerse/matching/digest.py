"""The weekly digest: residents who opted in get one email with up to five new offers that
match them, on Monday morning, never twice in the same ISO week.

"Never twice" rests on the database, not on the scheduler: a DigestSent row (unique per
person and week) and the outbox email (dedupe key `digest:<user>:<week>`) are written in
one transaction, so re-running the job — by cron, by hand or after a crash — is harmless."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any

from boerse.lib.db import CONSTRAINT_ERRORS, is_unique_violation, utcnow, write_transaction
from boerse.lib.formatting import TOWN_TIMEZONE
from boerse.lib.i18n import N_, use_locale
from boerse.lib.urls import site_url
from boerse.matching.services import Recommendation, recommendations_for
from boerse.matching.tables import DigestSent
from boerse.opportunities.calendar import opportunity_url
from boerse.opportunities.tables import Opportunity, OpportunityStatus
from boerse.outbox.services import queue_email, wake_delivery
from boerse.profiles.tables import Profile
from boerse.profiles.taxonomy import current

SUBJECT = N_("Neue Angebote für Sie in dieser Woche")
DIGEST_SIZE = 5
NEW_FOR = dt.timedelta(days=7)
# New offers are a small part of all; look this far down a person's ranking for them.
POOL = 50
SEND_FROM_HOUR = 7


def iso_week(moment: dt.datetime) -> str:
    """The ISO week in the town's time zone, e.g. '2026-W48' (Monday 00:30 local is the
    new week even though it is still Sunday in UTC)."""
    year, week, _weekday = moment.astimezone(TOWN_TIMEZONE).isocalendar()
    return f"{year}-W{week:02d}"


def is_digest_time(moment: dt.datetime) -> bool:
    """Monday from 07:00 in the town. The cron job runs hourly and asks this, so the send
    time follows daylight saving whatever time zone the worker's server uses, and a worker
    that was down at 07:00 still sends later that Monday."""
    local = moment.astimezone(TOWN_TIMEZONE)
    return local.isoweekday() == 1 and local.hour >= SEND_FROM_HOUR


async def _new_opportunity_ids(now: dt.datetime) -> set[int]:
    rows = await Opportunity.select(Opportunity.id).where(
        (Opportunity.status == OpportunityStatus.PUBLISHED.value)
        & (Opportunity.published_at >= now - NEW_FOR)
    )
    return {row["id"] for row in rows}


async def _subscribers(week: str, after_user: int) -> list[dict[str, Any]]:
    """Opted-in residents with a verified, active account who have not had this week's
    digest yet, in user order from `after_user` on (one query)."""
    return (
        await Profile.select(
            Profile.user.as_alias("user_id"),
            Profile.user.email.as_alias("email"),
            Profile.user.display_name.as_alias("name"),
            Profile.user.language.as_alias("language"),
        )
        .where(
            (Profile.digest_ok == True)  # noqa: E712 - Piccolo expression
            & (Profile.user > after_user)
            & (Profile.user.is_active == True)  # noqa: E712
            & Profile.user.email_verified_at.is_not_null()
            & Profile.user.not_in(DigestSent.select(DigestSent.user).where(DigestSent.week == week))
        )
        .order_by(Profile.user)
    )


async def picks_for(user_id: int, new_ids: set[int]) -> list[Recommendation]:
    """The person's best matches among the new offers, best first."""
    ranked = await recommendations_for(user_id, limit=POOL)
    return [item for item in ranked if item.opportunity["id"] in new_ids][:DIGEST_SIZE]


@dataclass(frozen=True)
class DigestRun:
    queued: int
    """Emails queued by this run."""
    resume_after: int | None = None
    """The last user handled when the time budget ran out; None once everyone was."""


async def send_weekly_digest(
    now: dt.datetime | None = None, *, after_user: int = 0, budget_s: float | None = None
) -> DigestRun:
    """Queue this week's digest for everyone due, in user order after `after_user`.
    Nobody gets an email when nothing new matches them (they stay due for a later run).
    With `budget_s` the run stops in time and says where to go on, so a job never
    outlives its timeout however many people opted in."""
    now = now or utcnow()
    week = iso_week(now)
    new_ids = await _new_opportunity_ids(now)
    if not new_ids:
        return DigestRun(0)
    deadline = None if budget_s is None else time.monotonic() + budget_s
    await current()  # the reasons name fields and skills as administrators keep them now
    queued = 0
    people = await _subscribers(week, after_user)
    for position, person in enumerate(people, start=1):
        queued += await _send_to(person, week, new_ids)
        # Checked after a person, never before, so every run makes progress.
        if deadline is not None and time.monotonic() > deadline and position < len(people):
            return DigestRun(queued, resume_after=person["user_id"])
    return DigestRun(queued)


async def _send_to(person: dict[str, Any], week: str, new_ids: set[int]) -> int:
    """1 if this person's digest was queued now, 0 if nothing new suits them (or a
    parallel run sent it)."""
    with use_locale(person["language"]):  # the reasons ("unter 5 km · …") in their words
        picks = await picks_for(person["user_id"], new_ids)
    if not picks:
        return 0
    email_id = await _record(person, week, picks)
    if email_id is None:
        return 0
    await wake_delivery()
    return 1


async def _record(person: dict[str, Any], week: str, picks: list[Recommendation]) -> int | None:
    """DigestSent row and email in one transaction; None if this week's was sent already."""
    try:
        async with write_transaction():
            await DigestSent(user=person["user_id"], week=week).save()
            email = await queue_email(
                f"digest:{person['user_id']}:{week}",
                person["email"],
                SUBJECT,
                "matching_digest",
                _context(person, picks),
                language=person["language"],
            )
    except CONSTRAINT_ERRORS as error:
        if not is_unique_violation(error):
            raise
        return None  # another run of the job got there first
    return email.id


def _context(person: dict[str, Any], picks: list[Recommendation]) -> dict[str, Any]:
    return {
        "name": (person["name"] or "").split(" ")[0],
        "items": [
            {
                "title": item.opportunity["title"],
                "summary": item.opportunity.get("summary") or "",
                "organisation_name": item.opportunity.get("organisation_name") or "",
                "next_session": item.opportunity.get("next_session"),
                "reason": item.reason,
                "url": opportunity_url(item.opportunity["id"]),
            }
            for item in picks
        ],
        "recommendations_url": site_url("matching:recommendations"),
        "profile_url": site_url("profiles:edit"),
    }
