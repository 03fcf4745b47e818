"""A small hand-counted town for the rollup and dashboard tests, with every row dated.

Organisation A runs "Bäume" (environment × co-deliver, serving sub-goal S of main goal M)
and "Jugendrat" (youth × co-design, serving M and S), and a draft; organisation B runs
"Müll" (environment × co-deliver). In UTC, with the refresh run on 15 November 2026:

- Bäume, 10 September: p1 attended 2 h, p2 attended 1.5 h, p3 absent, p4 cancelled;
  invitations to p1 and p2 sent in September; one response in September (rating 5,
  "bewirkt" ++).
- Bäume, 10 October: p1 attended 3 h (returning), p5 confirmed without a record (counts as
  attended: the date is over); an invitation to p1 in October; two responses in October to
  version 1 (rating 4 / "bewirkt" +, rating 2 / −−), one incomplete, one to version 2
  (rating 3 / ++); "bewirkt" of version 1 is an indicator of S (version 2's twin counts too).
- Bäume, 10 December: p6 confirmed (a place held, not attended yet).
- Müll, 12 October: p2 attended 1 h (returning). Jugendrat, 5 August: p7 attended 2 h.
- The draft, 10 October: p8 attended 9 h."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from boerse.accounts.tables import Organisation
from boerse.goals.tables import Goal, GoalIndicator, OpportunityGoal
from boerse.opportunities.tables import (
    Attendance,
    Mode,
    Opportunity,
    OpportunitySession,
    OpportunityStatus,
    SignUp,
    SignUpStatus,
)
from boerse.questionnaires.tables import Response
from boerse.surveys.tables import SurveyInvitation
from tests.dashboards.answers import SHORT_FEEDBACK, add_version, choice, feedback_plan, respond
from tests.support.factories import make_opportunity, make_organisation, make_user
from tests.surveys.helpers import make_invitation

NOW = dt.datetime(2026, 11, 15, 12, tzinfo=dt.UTC)
SEPTEMBER, OCTOBER = dt.date(2026, 9, 1), dt.date(2026, 10, 1)


@dataclass
class RollupTown:
    a: Organisation
    b: Organisation
    trees: Opportunity
    council: Opportunity
    litter: Opportunity
    draft: Opportunity
    main_goal: int
    sub_goal: int


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)


async def dated_session(opportunity: Opportunity, day: dt.date) -> OpportunitySession:
    session = OpportunitySession(
        opportunity=opportunity.id, starts_at=at(day), ends_at=at(day, 12), capacity=20
    )
    await session.save()
    return session


async def place(
    session: OpportunitySession,
    user_id: int,
    attendance: str | None = Attendance.ATTENDED.value,
    hours: float | None = None,
    status: SignUpStatus = SignUpStatus.CONFIRMED,
) -> SignUp:
    signup = SignUp(
        session=session.id, user=user_id, status=status.value, attendance=attendance, hours=hours
    )
    await signup.save()
    return signup


async def invite(signup: SignUp, day: dt.date) -> None:
    await make_invitation(signup)
    await SurveyInvitation.update({SurveyInvitation.created_at: at(day)}).where(
        SurveyInvitation.sign_up == signup.id
    )


async def answer(plan, opportunity: Opportunity, day: dt.date, rating: int, effect: int,
                 completed: bool = True) -> None:  # fmt: skip
    rating_id, _organised, effect_id = (q.id for q in plan.questions[:3])
    response_id = await respond(
        plan, [choice(rating_id, rating), choice(effect_id, effect)], completed=completed,
        opportunity_id=opportunity.id,
    )  # fmt: skip
    await Response.update({Response.submitted_at: at(day, 0)}).where(Response.id == response_id)


async def goals(trees: Opportunity, council: Opportunity) -> tuple[int, int]:
    main = Goal(title="Jugendliche haben Berufschancen", position=0)
    await main.save()
    sub = Goal(title="Jugendliche sind aktiv", parent=main.id, position=0)
    await sub.save()
    for opportunity, goal in ((trees, sub), (council, main), (council, sub)):
        await OpportunityGoal(opportunity=opportunity.id, goal=goal.id).save()
    return main.id, sub.id


async def rollup_town() -> RollupTown:
    a, b = await make_organisation(), await make_organisation()
    trees = await make_opportunity(a, title="Bäume")
    council = await make_opportunity(a, title="Jugendrat", mode=Mode.CO_DESIGN, field="youth")
    litter = await make_opportunity(b, title="Müll")
    draft = await make_opportunity(a, status=OpportunityStatus.DRAFT, title="Entwurf")
    people = [(await make_user()).id for _ in range(8)]
    p1, p2, p3, p4, p5, p6, p7, p8 = people

    september = await dated_session(trees, dt.date(2026, 9, 10))
    first = await place(september, p1, hours=2)
    second = await place(september, p2, hours=1.5)
    await place(september, p3, Attendance.ABSENT.value, hours=4)
    await place(september, p4, None, status=SignUpStatus.CANCELLED)
    october = await dated_session(trees, dt.date(2026, 10, 10))
    again = await place(october, p1, hours=3)
    await place(october, p5, None)
    await place(await dated_session(trees, dt.date(2026, 12, 10)), p6, None)
    await place(await dated_session(litter, dt.date(2026, 10, 12)), p2, hours=1)
    await place(await dated_session(council, dt.date(2026, 8, 5)), p7, hours=2)
    await place(await dated_session(draft, dt.date(2026, 10, 10)), p8, hours=9)
    await invite(first, dt.date(2026, 9, 11))
    await invite(second, dt.date(2026, 9, 11))
    await invite(again, dt.date(2026, 10, 11))

    main_goal, sub_goal = await goals(trees, council)
    plan = await feedback_plan(trees)
    await GoalIndicator(goal=sub_goal, question=plan.questions[2].id).save()
    await answer(plan, trees, dt.date(2026, 9, 12), 5, 4)
    await answer(plan, trees, dt.date(2026, 10, 12), 4, 3)
    await answer(plan, trees, dt.date(2026, 10, 13), 2, 1)
    await answer(plan, trees, dt.date(2026, 10, 13), 1, 1, completed=False)
    second_version = await add_version(plan.questionnaire_id, SHORT_FEEDBACK)
    await answer(second_version, trees, dt.date(2026, 10, 20), 3, 4)
    return RollupTown(a, b, trees, council, litter, draft, main_goal, sub_goal)
