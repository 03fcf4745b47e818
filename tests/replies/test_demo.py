"""The demo town shows replies on first start: to the walk audit, to one more opportunity
and to a goal, each published as planned and in progress since, on a public page."""

from __future__ import annotations

from boerse.demo.loader import load_demo
from boerse.demo.replies import GOAL_REPLY, GOAL_TITLE, WALK_AUDIT_OFFER
from boerse.replies.tables import Reply, ReplyStatus, ReplyUpdate


async def test_demo_replies_are_public_with_a_status_change(client) -> None:
    assert await load_demo()
    rows = await Reply.select(
        Reply.id,
        Reply.opportunity,
        Reply.opportunity.title.as_alias("offer"),
        Reply.goal,
        Reply.goal.title.as_alias("goal_title"),
        Reply.published,
    )
    assert len(rows) == 3
    on_offers = [row for row in rows if row["opportunity"] is not None]
    assert WALK_AUDIT_OFFER in {row["offer"] for row in on_offers}
    assert len({row["opportunity"] for row in on_offers}) == 2
    (on_goal,) = [row for row in rows if row["goal"] is not None]
    assert on_goal["goal_title"] == GOAL_TITLE
    for row in rows:
        assert row["published"]
        history = (
            await ReplyUpdate.select(ReplyUpdate.status)
            .where(ReplyUpdate.reply == row["id"])
            .order_by(ReplyUpdate.id)
        )
        assert [h["status"] for h in history] == [
            ReplyStatus.PLANNED.value,
            ReplyStatus.IN_PROGRESS.value,
        ]
    for row in on_offers:
        page = await client.get(f"/ergebnisse/{row['opportunity']}")
        assert "Sie haben gesagt – wir haben gehandelt" in page.text
    goal_page = await client.get(f"/wirkungsziele/{on_goal['goal']}")
    assert GOAL_REPLY[0] in goal_page.text
    listing = await client.get("/wir-haben-gehandelt/")
    assert "Mehr Bänke und klarere Wegweiser rund um den Markt" in listing.text
    assert f"Wirkungsziel: {GOAL_TITLE}" in listing.text
