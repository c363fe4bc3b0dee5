"""Loaded into a test's worker processes (``dramatiq app.worker tests.support.worker_barrier``): each
worker's first message waits until every worker holds one, so a test can show work shared between
workers however fast or slow each one started. With one thread and a prefetch of one
(``dramatiq_queue_prefetch=1``) a waiting worker holds no other message, so the next goes to another.

Waits on Redis (``BLPOP``), not a clock: the last worker to arrive releases them all.
"""

from __future__ import annotations

import os

import dramatiq
from dramatiq.middleware import Middleware

from app.redis_store import get_redis

KEY = os.environ["YSS_TEST_BARRIER"]
PARTIES = int(os.environ.get("YSS_TEST_BARRIER_PARTIES", "2"))
WAIT_SECONDS = 120  # past it the worker goes on, and the test fails on its own assertion


class FirstMessageBarrier(Middleware):
    def __init__(self) -> None:
        self.passed = False

    def before_process_message(self, broker: dramatiq.Broker, message: dramatiq.Message) -> None:
        if self.passed:
            return
        self.passed = True
        redis = get_redis()
        if redis.incr(KEY) == PARTIES:
            redis.rpush(f"{KEY}:go", *["go"] * PARTIES)
        redis.blpop([f"{KEY}:go"], timeout=WAIT_SECONDS)


dramatiq.get_broker().add_middleware(FirstMessageBarrier())
