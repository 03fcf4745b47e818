"""Invitations: an officer asks a suitable resident by email to join an opportunity.

The invitation row (unique per opportunity and person) and its outbox email (dedupe key
`invitation:<opportunity>:<user>`) are written in one transaction, so a second click, a
double submit or two officers at the same moment end with one invitation and one email.
Only people the matching offers as candidates can be invited: that is what guarantees
they allowed invitations (`contact_ok`) and that the offer really suits them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from boerse.accounts.tables import User
from boerse.audit.actions import Action
from boerse.audit.services import record
from boerse.lib.db import CONSTRAINT_ERRORS, is_unique_violation, utcnow, write_transaction
from boerse.lib.i18n import DEFAULT_LOCALE, N_, ngettext, use_locale
from boerse.lib.i18n import gettext as _
from boerse.lib.urls import site_url
from boerse.matching.scoring import MAX_NAMED, REASON_SEPARATOR
from boerse.matching.services import Candidate, candidates_for
from boerse.matching.tables import Invitation
from boerse.opportunities.calendar import LIVE_STATUSES, opportunity_url
from boerse.opportunities.tables import (
    Opportunity,
    OpportunitySession,
    OpportunityStatus,
    SignUp,
)
from boerse.outbox.services import queue_email, wake_delivery

SUBJECT = N_("Einladung zum Mitmachen: {title}")
# How far down the ranked list an invitation may reach: the page shows this many people.
CANDIDATE_LIMIT = 50


class InviteRefusedError(Exception):
    """Why nobody was invited: `closed` (not published or no future date) or
    `not_a_candidate` (the person does not, or no longer, appear among the matches)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class InvitedPerson:
    """One invitation as the officer sees it: first name only, never contact details."""

    user_id: int
    first_name: str
    invited_at: dt.datetime
    signed_up_after: bool


def first_name(display_name: str) -> str:
    """Officers see only the first word of the name a resident chose to show."""
    parts = (display_name or "").split()
    return parts[0] if parts else _("Ohne Namen")


async def can_invite(opportunity_id: int, now: dt.datetime | None = None) -> bool:
    """Invitations only make sense for a published offer someone can still sign up for:
    a future session with a free place (inviting to a full one would only disappoint)."""
    return await OpportunitySession.exists().where(
        (OpportunitySession.opportunity == opportunity_id)
        & (OpportunitySession.starts_at > (now or utcnow()))
        & (OpportunitySession.seats_taken < OpportunitySession.capacity)
        & (OpportunitySession.opportunity.status == OpportunityStatus.PUBLISHED.value)
    )


async def invitations_of(opportunity_id: int) -> list[InvitedPerson]:
    """Everyone invited to the offer, newest first, with whether they signed up for any of
    its sessions after the invitation; two queries whatever the number of people."""
    rows = (
        await Invitation.select(
            Invitation.user,
            Invitation.created_at,
            Invitation.user.display_name.as_alias("display_name"),
        )
        .where(Invitation.opportunity == opportunity_id)
        .order_by(Invitation.created_at, ascending=False)
    )
    if not rows:
        return []
    first_signups = await _live_signups_since(opportunity_id, [row["user"] for row in rows])
    return [
        InvitedPerson(
            user_id=row["user"],
            first_name=first_name(row["display_name"]),
            invited_at=row["created_at"],
            signed_up_after=any(
                created > row["created_at"] for created in first_signups.get(row["user"], [])
            ),
        )
        for row in rows
    ]


async def _live_signups_since(opportunity_id: int, user_ids: list[int]) -> dict[int, list]:
    """When each of these people created a live sign-up for a session of the offer."""
    rows = await SignUp.select(SignUp.user, SignUp.created_at).where(
        (SignUp.session.opportunity == opportunity_id)
        & SignUp.user.is_in(user_ids)
        & SignUp.status.is_in(list(LIVE_STATUSES))
    )
    found: dict[int, list] = {}
    for row in rows:
        found.setdefault(row["user"], []).append(row["created_at"])
    return found


def reason_of(candidate: Candidate) -> str:
    """The candidate's match in the resident's words ("unter 5 km · Ihr Interesse: …"),
    phrased like `scoring.reason_text`; it repeats only what the matching found."""
    parts = [candidate.distance_band] if candidate.distance_band else []
    if candidate.matching_interest:
        parts.append(_("Ihr Interesse: %(field)s") % {"field": candidate.matching_interest})
    if candidate.time_fit:
        parts.append(_("passt zu: %(windows)s") % {"windows": candidate.time_fit})
    if candidate.matching_skills:
        names = candidate.matching_skills[:MAX_NAMED]
        template = ngettext(
            "Ihre Fähigkeit: %(skills)s", "Ihre Fähigkeiten: %(skills)s", len(names)
        )
        parts.append(template % {"skills": ", ".join(names)})
    return REASON_SEPARATOR.join(parts)


async def _candidate(opportunity_id: int, user_id: int) -> Candidate | None:
    for candidate in await candidates_for(opportunity_id, limit=CANDIDATE_LIMIT):
        if candidate.user_id == user_id:
            return candidate
    return None


async def invite(opportunity_id: int, user_id: int, invited_by: int) -> bool:
    """Invite one person; True if invited now, False if they already were (nothing sent).
    Raises InviteRefusedError when the offer is closed or the person is not a match."""
    if not await can_invite(opportunity_id):
        raise InviteRefusedError("closed")
    language = await _language_of(user_id)
    # The match is described (distance band, time windows) in the words of the invited
    # person's language, not in the officer's who clicked.
    with use_locale(language):
        candidate = await _candidate(opportunity_id, user_id)
    if candidate is None:
        if await Invitation.exists().where(
            (Invitation.opportunity == opportunity_id) & (Invitation.user == user_id)
        ):
            return False
        raise InviteRefusedError("not_a_candidate")
    try:
        email_id = await _write_invitation(opportunity_id, candidate, invited_by, language)
    except CONSTRAINT_ERRORS as error:
        if not is_unique_violation(error):
            raise
        return False  # a parallel click inserted first; its transaction queued the email
    if email_id is None:
        return False
    await wake_delivery()
    return True


async def _language_of(user_id: int) -> str:
    row = await User.select(User.language).where(User.id == user_id).first()
    return row["language"] if row else DEFAULT_LOCALE


async def _write_invitation(
    opportunity_id: int, candidate: Candidate, invited_by: int, language: str
) -> int | None:
    """Row and email together; None when the person was already invited."""
    async with write_transaction():
        if not await can_invite(opportunity_id):
            raise InviteRefusedError("closed")
        if await Invitation.exists().where(
            (Invitation.opportunity == opportunity_id) & (Invitation.user == candidate.user_id)
        ):
            return None
        await Invitation(
            opportunity=opportunity_id, user=candidate.user_id, invited_by=invited_by
        ).save()
        with use_locale(language):
            context = await _email_context(opportunity_id, candidate, invited_by)
        queued = await queue_email(
            f"invitation:{opportunity_id}:{candidate.user_id}",
            context.pop("email"),
            SUBJECT,
            "matching_invitation",
            context,
            language=language,
            subject_args={"title": context["title"]},
        )
        await record(Action.RESIDENT_INVITED, opportunity_id, summary=context["title"])
    return queued.id


async def _email_context(
    opportunity_id: int, candidate: Candidate, invited_by: int
) -> dict[str, Any]:
    """Who invites to what and why, read inside the writing transaction (two queries)."""
    offer = (
        await Opportunity.select(
            Opportunity.title,
            Opportunity.summary,
            Opportunity.organisation.name.as_alias("organisation_name"),
        )
        .where(Opportunity.id == opportunity_id)
        .first()
    )
    people = await User.select(User.id, User.email, User.display_name).where(
        User.id.is_in([candidate.user_id, invited_by])
    )
    by_id = {row["id"]: row for row in people}
    inviter = by_id.get(invited_by)
    return {
        "email": by_id[candidate.user_id]["email"],
        "name": candidate.first_name,
        "title": offer["title"],
        "summary": offer["summary"],
        "organisation_name": offer["organisation_name"],
        "inviter_name": inviter["display_name"] if inviter else "",
        "reason": reason_of(candidate),
        "url": opportunity_url(opportunity_id),
        "profile_url": site_url("profiles:edit"),
    }
