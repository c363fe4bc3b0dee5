"""``dramatiq bench.scan_worker``: the real worker (``app.worker``, every actor) with yss's business
clock held at ``BENCH_SCAN_NOW`` (ISO 8601, aware) in each worker process.

The scan bench runs on a fixed day; its workers plan deliveries at that day's 10:00 in Shanghai
whatever hour the bench itself runs, so quiet hours never defer them all and every run times the
same path (pending deliveries enqueued after each batch's commit)."""

from __future__ import annotations

import contextlib
import os
from datetime import datetime

from app import clock

_held = contextlib.ExitStack()  # held for the life of the process
_held.enter_context(clock.freeze(datetime.fromisoformat(os.environ["BENCH_SCAN_NOW"])))

import app.worker  # noqa: E402, F401  (the broker and every actor)
