"""Settings of the Python runtime for a long-running web worker."""

from __future__ import annotations

import gc

# Objects allocated (minus freed) before the youngest generation is collected; CPython's
# default is 700, which a page that renders twenty cards passes several times.
YOUNG_COLLECTION_THRESHOLD = 50_000


def tune_garbage_collector() -> None:
    """Once the app has started: everything imported and set up so far (Litestar, Piccolo,
    Jinja, Babel: a few hundred thousand objects that live as long as the process) is moved
    out of the collector's sight with `gc.freeze()`, so the oldest generation's collections
    no longer walk it, and the youngest generation is collected less often. Cycles are
    still collected. On the public list with two workers and 32 clients: about 9 % more
    requests per second (277 and 298 against 254 and 272 in alternating runs)."""
    gc.freeze()
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, middle, oldest)
