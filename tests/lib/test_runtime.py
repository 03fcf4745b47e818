"""The garbage collector's settings for a web worker (boerse/lib/runtime.py)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from boerse.lib.runtime import YOUNG_COLLECTION_THRESHOLD, tune_garbage_collector


@pytest.fixture
def collector() -> Iterator[None]:
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


def test_what_lived_through_start_up_is_frozen_and_cycles_are_still_collected(
    collector: None,
) -> None:
    _, middle, oldest = gc.get_threshold()
    tune_garbage_collector()
    assert gc.get_freeze_count() > 10_000
    assert gc.get_threshold() == (YOUNG_COLLECTION_THRESHOLD, middle, oldest)

    class Node:
        pass

    node = Node()
    node.self = node  # a cycle only the collector can free
    del node
    assert gc.collect() >= 1
