"""Rows for survey and dashboard tests: past sessions, sign-ups, invitations and answers."""

from __future__ import annotations

import datetime as dt

from boerse.lib.db import utcnow
from boerse.lib.security import new_token
from boerse.opportunities.tables import Opportunity, OpportunitySession, SignUp, SignUpStatus
from boerse.surveys.tables import InvitationStatus, SurveyInvitation, SurveyResponse
from tests.support.factories import make_session, make_user


async def past_session(
    opportunity: Opportunity, ended_ago: dt.timedelta = dt.timedelta(hours=1)
) -> OpportunitySession:
    """A two-hour session that ended `ended_ago` before now."""
    duration = dt.timedelta(hours=2)
    return await make_session(opportunity, starts_in=-(ended_ago + duration), duration=duration)


async def make_signup(
    session: OpportunitySession,
    status: SignUpStatus = SignUpStatus.CONFIRMED,
    attendance: str | None = None,
    hours: float | None = None,
    email: str | None = None,
) -> SignUp:
    user = await make_user(email=email)
    signup = SignUp(
        session=session.id, user=user.id, status=status.value, attendance=attendance, hours=hours
    )
    await signup.save()
    return signup


async def make_invitation(
    signup: SignUp,
    expires_in: dt.timedelta = dt.timedelta(days=14),
    status: InvitationStatus = InvitationStatus.SENT,
) -> str:
    """An invitation as the job would leave it; returns the token of its link."""
    session = (
        await OpportunitySession.objects().where(OpportunitySession.id == signup.session).first()
    )
    token, token_hash = new_token()
    await SurveyInvitation(
        sign_up=signup.id,
        opportunity=session.opportunity,
        token_hash=token_hash,
        status=status.value,
        expires_at=utcnow() + expires_in,
    ).save()
    return token


async def make_response(
    opportunity: Opportunity,
    overall: int = 4,
    organised: int = 4,
    difference: int = 3,
    recommend: int = 4,
    comment: str = "",
) -> None:
    await SurveyResponse(
        opportunity=opportunity.id,
        overall_rating=overall,
        statement_well_organised=organised,
        statement_made_difference=difference,
        statement_would_recommend=recommend,
        comment=comment,
    ).save()


def answer_form(**overrides: str) -> dict[str, str]:
    """A complete, valid answer as the survey form posts it."""
    data = {
        "overall_rating": "5",
        "statement_well_organised": "4",
        "statement_made_difference": "3",
        "statement_would_recommend": "4",
        "comment": "Gerne wieder!",
    }
    data.update(overrides)
    return data
