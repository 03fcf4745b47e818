"""A process-wide stop request: set when the worker is asked to shut down, read by long
jobs between two units of work (two mails), so nothing is cut off half-way."""

from __future__ import annotations

_state = {"stopping": False}


def request_stop() -> None:
    _state["stopping"] = True


def stop_requested() -> bool:
    return _state["stopping"]


def clear_stop() -> None:
    """A new worker run in the same process (after a Redis outage, or in tests)."""
    _state["stopping"] = False
