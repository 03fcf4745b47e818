"""The demo town shows replies on first start: the walk audit's and one more, each
published with one status change since, on a public results page."""

from __future__ import annotations

from boerse.demo.loader import load_demo
from boerse.demo.replies import WALK_AUDIT_OFFER
from boerse.replies.tables import Reply, ReplyUpdate


async def test_demo_replies_are_public_with_a_status_change(client) -> None:
    assert await load_demo()
    rows = await Reply.select(
        Reply.id, Reply.opportunity, Reply.opportunity.title.as_alias("offer"), Reply.published
    )
    assert len(rows) == 2
    assert WALK_AUDIT_OFFER in {row["offer"] for row in rows}
    assert len({row["opportunity"] for row in rows}) == 2
    for row in rows:
        assert row["published"]
        assert await ReplyUpdate.count().where(ReplyUpdate.reply == row["id"]) == 2
        page = await client.get(f"/ergebnisse/{row['opportunity']}")
        assert "Sie haben gesagt – wir haben gehandelt" in page.text
    listing = await client.get("/wir-haben-gehandelt/")
    assert "Mehr Bänke und klarere Wegweiser rund um den Markt" in listing.text
