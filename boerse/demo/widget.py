"""The demo town allows one website to embed the widget: a page served on the developer's
own machine (`python -m http.server 8001`), so the snippet builder has a website to name
and the embedding can be tried without a second domain."""

from __future__ import annotations

import datetime as dt

from boerse.widget.tables import EmbeddingHost

DEMO_HOST = "http://localhost:8001"


async def demo_widget(now: dt.datetime) -> None:
    await EmbeddingHost.insert(EmbeddingHost(origin=DEMO_HOST, added_at=now))
