"""An opportunity whose session has ended, with the people the reply mails must (and must
not) reach."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from boerse.accounts.tables import Organisation, User
from boerse.goals.tables import Goal, OpportunityGoal
from boerse.opportunities.tables import Attendance, Opportunity, SignUp, SignUpStatus
from boerse.replies.services import ReplyData
from boerse.replies.tables import ReplyStatus
from tests.support.factories import (
    make_officer,
    make_opportunity,
    make_organisation,
    make_session,
    make_user,
)


@dataclass
class Town:
    organisation: Organisation
    officer: User
    opportunity: Opportunity


async def _sign_up(session_id: int, user: User, status: SignUpStatus, attendance=None) -> None:
    await SignUp(
        session=session_id, user=user.id, status=status.value, attendance=attendance
    ).save()


async def town_with_participants() -> Town:
    """Participants: anna (attended), ben (attendance not recorded), tom (English, in two
    sessions). Not: ida (absent), wanda (waitlisted), carl (cancelled), fritz (a future
    session only)."""
    organisation = await make_organisation(name="Grünflächenamt")
    officer = await make_officer(organisation, email="amt@example.org")
    opportunity = await make_opportunity(organisation, title="Parkpflege im Rosental")
    past = await make_session(opportunity, starts_in=-dt.timedelta(days=3))
    earlier = await make_session(opportunity, starts_in=-dt.timedelta(days=10))
    future = await make_session(opportunity, starts_in=dt.timedelta(days=5))
    people = {
        name: await make_user(email=f"{name}@example.org", display_name=name.title(), **extra)
        for name, extra in [
            ("anna", {}),
            ("ben", {}),
            ("tom", {"language": "en"}),
            ("ida", {}),
            ("wanda", {}),
            ("carl", {}),
            ("fritz", {}),
        ]
    }
    await _sign_up(past.id, people["anna"], SignUpStatus.CONFIRMED, Attendance.ATTENDED.value)
    await _sign_up(past.id, people["ben"], SignUpStatus.REGISTERED)
    await _sign_up(past.id, people["tom"], SignUpStatus.CONFIRMED)
    await _sign_up(earlier.id, people["tom"], SignUpStatus.CONFIRMED)
    await _sign_up(past.id, people["ida"], SignUpStatus.CONFIRMED, Attendance.ABSENT.value)
    await _sign_up(past.id, people["wanda"], SignUpStatus.WAITLISTED)
    await _sign_up(past.id, people["carl"], SignUpStatus.CANCELLED)
    await _sign_up(future.id, people["fritz"], SignUpStatus.CONFIRMED)
    return Town(organisation, officer, opportunity)


PARTICIPANTS = ["anna@example.org", "ben@example.org", "tom@example.org"]


def reply_data(status: ReplyStatus = ReplyStatus.PLANNED, **fields) -> ReplyData:
    values = {
        "title": "Mehr Bänke im Rosental",
        "learned": "Viele wünschen sich Sitzplätze im Schatten.",
        "changes": "Wir stellen im Frühjahr sechs Bänke auf.",
        "status": status.value,
        "status_date": dt.date(2026, 4, 1),
    } | fields
    return ReplyData(**values)


FORM = {
    "title": "Mehr Bänke im Rosental",
    "learned": "Viele wünschen sich Sitzplätze im Schatten.",
    "changes": "Wir stellen im Frühjahr sechs Bänke auf.",
    "status": ReplyStatus.PLANNED.value,
    "status_date": "2026-04-01",
}


@dataclass
class GoalTown:
    """A main goal whose sub-goal is served by a second organisation's opportunity."""

    town: Town
    main: Goal
    sub: Goal
    other_officer: User
    """Of the organisation whose opportunity serves the sub-goal."""


async def goal_with_participants() -> GoalTown:
    """`town_with_participants` serves the main goal; a second organisation's opportunity
    serves its sub-goal, attended by tom again (mailed once) and by greta."""
    town = await town_with_participants()
    main = Goal(title="Ein grüner Stadtteil")
    await main.save()
    sub = Goal(title="Parks sind gepflegt", parent=main.id)
    await sub.save()
    other = await make_organisation(name="Bürgerverein West")
    other_officer = await make_officer(other, email="verein@example.org")
    second = await make_opportunity(other, title="Frühjahrsputz im Park")
    session = await make_session(second, starts_in=-dt.timedelta(days=20))
    tom = await User.objects().where(User.email == "tom@example.org").first()
    greta = await make_user(email="greta@example.org", display_name="Greta")
    await _sign_up(session.id, tom, SignUpStatus.CONFIRMED, Attendance.ATTENDED.value)
    await _sign_up(session.id, greta, SignUpStatus.CONFIRMED)
    await OpportunityGoal.insert(
        OpportunityGoal(opportunity=town.opportunity.id, goal=main.id),
        OpportunityGoal(opportunity=second.id, goal=sub.id),
    )
    return GoalTown(town, main, sub, other_officer)


GOAL_PARTICIPANTS = sorted([*PARTICIPANTS, "greta@example.org"])
