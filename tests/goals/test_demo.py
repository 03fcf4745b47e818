"""The demo town's goals: both trees, linked opportunities, and a goal page that shows
participation and an indicator figure on first start."""

from __future__ import annotations

from boerse.demo.loader import load_demo
from boerse.goals import services
from boerse.goals.tables import GoalIndicator, OpportunityGoal
from boerse.settings import get_settings


async def test_demo_goal_pages_show_figures(client) -> None:
    assert await load_demo()

    tree = {branch.goal.title: branch for branch in await services.goal_tree()}
    surrey = tree["Verbesserung der Berufschancen Jugendlicher"]
    assert "Jugendliche sind aktive Mitglieder der Gesellschaft" in [s.title for s in surrey.subs]
    assert "Ein demenzfreundlicher Stadtteil" in tree
    assert await OpportunityGoal.count() > 0
    assert await GoalIndicator.count() > 0

    threshold = get_settings().public_results_min_answers
    shown = []
    for branch in tree.values():
        page = await services.goal_page(branch.goal.id, threshold)
        assert page.opportunities
        figures = [m for i in page.indicators for m in i.months if m.value is not None]
        if page.participants is not None and figures:
            shown.append(branch.goal.title)
    assert shown, "no demo goal shows participation and an indicator figure"
    # the history spreads over months: some indicator has a trend, not a single month
    months = [
        len(indicator.months)
        for branch in tree.values()
        for indicator in (await services.goal_page(branch.goal.id, threshold)).indicators
    ]
    assert max(months) >= 4, months
    html = (await client.get(f"/wirkungsziele/{surrey.goal.id}")).text
    assert "Meine Mitwirkung hat etwas bewirkt." in html
