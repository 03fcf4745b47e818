"""Old participation is anonymised: the person link goes, every statistic stays the same
(sign-ups, attendance, hours, distinct participants per mode, survey invitations and
answers). Deleting an account by retention keeps its past participation in the figures."""

from __future__ import annotations

import secrets

import time_machine

from boerse.accounts.tables import User
from boerse.audit.actions import Action
from boerse.dashboards import services as dashboards
from boerse.dashboards.rollup import refresh_rollups
from boerse.lib.db import utcnow
from boerse.opportunities.tables import Mode, OpportunitySession, SignUp
from boerse.retention.tables import AnonymousParticipant, InactivityWarning
from boerse.settings import get_settings
from boerse.surveys.tables import SurveyInvitation
from tests.audit.helpers import entries
from tests.dashboards.answers import answer_feedback
from tests.retention.helpers import DAY, T0, exists, run_retention_at
from tests.support.factories import make_opportunity, make_organisation, make_session, make_user

LATER = T0 + 1000 * DAY


async def sign_up(session: OpportunitySession, user: User, attendance: str, hours=None) -> int:
    row = SignUp(
        session=session.id, user=user.id, status="confirmed", attendance=attendance, hours=hours
    )
    await row.save()
    return row.id


async def invite(signup_id: int, session: OpportunitySession) -> None:
    await SurveyInvitation(
        sign_up=signup_id,
        opportunity=session.opportunity,
        token_hash=secrets.token_hex(32),
        expires_at=utcnow() + 14 * DAY,
    ).save()


async def figures(*opportunities) -> list:
    """What the dashboards show: the town overview and each offer's results, as of LATER."""
    await refresh_rollups(full=True, now=LATER)  # the overview counts from the rollups
    shown = [await dashboards.town_overview(1)]
    for opportunity in opportunities:
        header = await dashboards.opportunity_header(opportunity.id)
        shown.append(
            await dashboards.opportunity_results(header, with_comments=True, min_answers=1)
        )
    return shown


async def owners(*signup_ids: int) -> list[int]:
    rows = await SignUp.select(SignUp.id, SignUp.user).where(SignUp.id.is_in(list(signup_ids)))
    return [row["user"] for row in sorted(rows, key=lambda row: row["id"])]


async def test_old_participation_is_anonymised_and_the_figures_stay() -> None:
    period = get_settings().sign_up_retention_days * DAY
    with time_machine.travel(T0, tick=True):
        organisation = await make_organisation()
        deliver = await make_opportunity(organisation, mode=Mode.CO_DELIVER)
        design = await make_opportunity(organisation, mode=Mode.CO_DESIGN)
        planting = await make_session(deliver, starts_in=-3 * DAY)
        workshop = await make_session(design, starts_in=-2 * DAY)
        later_date = await make_session(deliver, starts_in=700 * DAY)
        # Logged in not long ago: this test is about participation, not inactive accounts.
        recent_login = T0 + 600 * DAY
        anna = await make_user(display_name="Anna", last_login_at=recent_login)
        ben = await make_user(display_name="Ben", last_login_at=recent_login)
        cleo = await make_user(display_name="Cleo", last_login_at=recent_login)
        anna_planting = await sign_up(planting, anna, "attended", 2.5)
        anna_workshop = await sign_up(workshop, anna, "attended", 1.0)
        ben_planting = await sign_up(planting, ben, "absent")
        cleo_planting = await sign_up(planting, cleo, "attended", 3.0)
        cleo_later = await sign_up(later_date, cleo, None)
        await invite(anna_planting, planting)
        await invite(cleo_planting, planting)
        await answer_feedback(deliver, comment="Gut organisiert")
    before = await figures(deliver, design)
    assert before[1].responses == 1  # the answer is among the figures that must stay
    boundary = workshop.ends_at + period

    await run_retention_at(boundary - 2 * DAY)
    assert await owners(anna_planting, anna_workshop, ben_planting) == [anna.id, anna.id, ben.id]
    # A day before Anna's last date is old enough, nothing of hers moves; Ben's last date
    # was a day earlier than hers, so his has.
    await run_retention_at(boundary - DAY)
    assert await owners(anna_planting, anna_workshop) == [anna.id, anna.id]
    assert await owners(ben_planting) != [ben.id]

    await run_retention_at(boundary + DAY)
    anna_rows = await owners(anna_planting, anna_workshop)
    [ben_row] = await owners(ben_planting)
    assert anna_rows[0] == anna_rows[1] != anna.id  # one placeholder keeps Anna counted once
    assert ben_row not in {anna.id, ben.id, anna_rows[0]}
    assert await owners(cleo_planting, cleo_later) == [cleo.id, cleo.id]  # still taking part
    placeholders = await User.select().where(User.id.is_in([anna_rows[0], ben_row]))
    assert all(
        (row["display_name"], row["is_active"]) == ("", False)
        and row["email"].endswith("@anonymisiert.invalid")
        for row in placeholders
    )
    assert await AnonymousParticipant.count() == 2
    assert await exists(anna) and await exists(ben)
    assert await SurveyInvitation.count() == 2
    assert await figures(deliver, design) == before
    assert [row["quantity"] for row in await entries(Action.SIGN_UPS_ANONYMISED)] == [1, 2]

    # Placeholders never log in, yet are never warned or deleted as inactive accounts.
    await run_retention_at(LATER)
    assert await AnonymousParticipant.count() == 2
    assert (
        await InactivityWarning.count().where(InactivityWarning.user.is_in([anna_rows[0], ben_row]))
        == 0
    )


async def test_deleting_an_account_by_retention_keeps_its_past_in_the_figures() -> None:
    days = get_settings().unverified_account_days
    with time_machine.travel(T0, tick=True):
        organisation = await make_organisation()
        deliver = await make_opportunity(organisation)
        session = await make_session(deliver, starts_in=-3 * DAY)
        # An account from before addresses had to be confirmed to sign up.
        dora = await make_user(verified=False)
        signup_id = await sign_up(session, dora, "attended", 4.0)
        await invite(signup_id, session)
    before = await figures(deliver)

    await run_retention_at(T0 + (days + 1) * DAY)

    assert not await exists(dora)
    assert await SignUp.count() == 1
    assert await figures(deliver) == before
