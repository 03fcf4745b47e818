"""Town-wide totals per co-production mode, read from the worker's rollups."""

from __future__ import annotations

import datetime as dt

from boerse.dashboards.rollup import refresh_rollups
from boerse.dashboards.services import town_overview
from boerse.lib.db import utcnow
from boerse.opportunities.tables import Attendance, Mode, OpportunityStatus, SignUp, SignUpStatus
from tests.dashboards.answers import answer_feedback
from tests.support.factories import make_opportunity, make_organisation
from tests.surveys.helpers import make_signup, past_session


async def test_totals_per_mode_count_people_hours_offers_and_answers() -> None:
    organisation = await make_organisation()
    walk = await make_opportunity(organisation, mode=Mode.CO_ASSESS, title="Quartiersbegehung")
    reading = await make_opportunity(organisation, mode=Mode.CO_DELIVER, title="Vorlesen")
    await make_opportunity(organisation, mode=Mode.CO_DELIVER)  # no dates yet: still an offer
    await make_opportunity(organisation, mode=Mode.CO_DESIGN, status=OpportunityStatus.DRAFT)
    closed = await make_opportunity(
        organisation, mode=Mode.CO_ASSESS, status=OpportunityStatus.CLOSED
    )

    walk_session = await past_session(walk)
    anna = await make_signup(walk_session, attendance=Attendance.ATTENDED, hours=2)
    await make_signup(walk_session, attendance=Attendance.ABSENT)
    await make_signup(walk_session, status=SignUpStatus.CANCELLED)
    reading_session = await past_session(reading)
    await make_signup(reading_session, hours=1.5)  # attendance not recorded yet: counts
    # Anna also reads: a second mode, but one person in the town total.
    await SignUp(session=reading_session.id, user=anna.user, status="confirmed", hours=1).save()
    # A closed offer is no longer open, but the people who took part still count.
    await make_signup(await past_session(closed), attendance=Attendance.ATTENDED, hours=3)
    future = await past_session(reading, dt.timedelta(days=-3))
    await make_signup(future)  # has not taken part yet
    for _ in range(5):
        await answer_feedback(walk, overall=4)
    await answer_feedback(reading, overall=2)
    now = utcnow()
    await refresh_rollups(full=True, now=now)

    overview = await town_overview(min_answers=5)

    assert overview.freshness.refreshed_at == now

    modes = {row.mode: row for row in overview.modes}
    assert [row.label for row in overview.modes] == [
        "Mit-Steuern",
        "Mit-Entwickeln",
        "Mit-Umsetzen",
        "Mit-Bewerten",
    ]
    assess, deliver = modes[Mode.CO_ASSESS], modes[Mode.CO_DELIVER]
    assert (assess.opportunities, assess.participants, assess.hours, assess.responses) == (
        1,
        2,
        5.0,
        5,
    )
    assert (deliver.opportunities, deliver.participants, deliver.hours, deliver.responses) == (
        2,
        2,
        2.5,
        1,
    )
    assert modes[Mode.CO_DESIGN].opportunities == 0  # drafts are not public
    total = overview.total
    assert (total.opportunities, total.participants, total.hours, total.responses) == (
        3,
        3,
        7.5,
        6,
    )
    assert [(r.title, r.responses, r.average_overall) for r in overview.results] == [
        ("Quartiersbegehung", 5, 4.0)
    ]


async def test_figures_change_with_the_rollup_not_with_each_answer() -> None:
    organisation = await make_organisation()
    walk = await make_opportunity(organisation, mode=Mode.CO_ASSESS, title="Begehung")
    session = await past_session(walk)
    await make_signup(session, attendance=Attendance.ATTENDED, hours=2)
    for overall in (5, 5, 4, 4):
        await answer_feedback(walk, overall=overall)

    before = await town_overview(min_answers=5)
    assert before.freshness.refreshed_at is None  # never built: everything zero
    assert (before.total.participants, before.total.hours, before.total.responses) == (0, 0, 0)
    assert before.total.opportunities == 1  # open offers are counted live

    await refresh_rollups(full=True)
    four = await town_overview(min_answers=5)
    assert (four.total.participants, four.total.hours, four.total.responses) == (1, 2.0, 4)
    assert four.results == []  # below the minimum group size

    await answer_feedback(walk, overall=1)
    assert (await town_overview(min_answers=5)).total.responses == 4  # until the next rebuild
    await refresh_rollups(full=False)
    five = await town_overview(min_answers=5)
    assert five.total.responses == 5
    assert [(r.title, r.responses, r.average_overall) for r in five.results] == [
        ("Begehung", 5, 19 / 5)
    ]


async def test_offers_with_enough_answers_are_listed_fifty_at_a_time_by_title() -> None:
    from boerse.dashboards.rollup import rebuild_results_listing
    from boerse.dashboards.services import RESULTS_PER_PAGE
    from boerse.dashboards.tables import OpportunityMonth

    organisation = await make_organisation()
    titles = [f"Angebot {n:03d}" for n in range(RESULTS_PER_PAGE + 3)]
    for title in reversed(titles):
        opportunity = await make_opportunity(organisation, mode=Mode.CO_DELIVER, title=title)
        await OpportunityMonth(
            opportunity=opportunity.id,
            organisation=organisation.id,
            field=opportunity.field,
            mode=opportunity.mode,
            ever_published=True,
            month=dt.date(2026, 10, 1),
            responses=6,
            rating_points=27.0,
            rating_answers=6,
        ).save()
    await rebuild_results_listing()

    first = await town_overview(min_answers=5)
    second = await town_overview(min_answers=5, page=2)
    beyond = await town_overview(min_answers=5, page=9)

    assert (first.page, first.pages, first.listed) == (1, 2, RESULTS_PER_PAGE + 3)
    assert [r.title for r in first.results] == titles[:RESULTS_PER_PAGE]
    assert [r.title for r in second.results] == titles[RESULTS_PER_PAGE:]
    assert second.results[0].average_overall == 4.5
    assert (beyond.page, [r.title for r in beyond.results]) == (1, titles[:RESULTS_PER_PAGE])
