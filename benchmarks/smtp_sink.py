"""A mail server that only counts: `python -m benchmarks.smtp_sink --port P --out FILE`.

It accepts every message on 127.0.0.1 and appends its Message-ID to FILE, one per line,
so the fan-out benchmark can count what arrived, what is missing and what came twice."""

from __future__ import annotations

import argparse
import re
import signal
import threading

import uvloop
from aiosmtpd.controller import Controller

MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^>]+>)", re.IGNORECASE | re.MULTILINE)


class Recorder:
    def __init__(self, path: str) -> None:
        self.out = open(path, "ab", buffering=0)  # noqa: SIM115 - open for the sink's lifetime

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd API
        found = MESSAGE_ID.search(envelope.content)
        self.out.write((found.group(1) if found else b"<none>") + b"\n")
        return "250 OK"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.smtp_sink")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    # uvloop (installed with uvicorn) makes the sink about as fast as a small C server
    # would be, so the benchmark measures the worker rather than the sink.
    controller = Controller(
        Recorder(args.out), hostname="127.0.0.1", port=args.port, loop=uvloop.new_event_loop()
    )
    controller.start()
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    stopped.wait()
    controller.stop()


if __name__ == "__main__":
    main()
