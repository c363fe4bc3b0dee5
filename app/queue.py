"""The job queue: Dramatiq on the Redis broker.

Importing this module sets the broker, so actor modules import ``actor`` from here. Jobs carry
row ids only; the row is written (and committed) before its job is enqueued. Retries are bounded
to hours, not Dramatiq's default of weeks.
"""

from __future__ import annotations

from typing import Any

import dramatiq
from dramatiq.brokers.redis import RedisBroker
from dramatiq.middleware import Retries

from app.redis_store import redis_url

# Queue names, one constant each (actors name theirs with these; the worker joins them all).
AUDIT, HALLS, LICENCES, OPENDATA, PUSH, SECURITY, SYSTEM, TICKETS = (
    "audit", "halls", "licences", "opendata", "push", "security", "system", "tickets")
QUEUES = (AUDIT, HALLS, LICENCES, OPENDATA, PUSH, SECURITY, SYSTEM, TICKETS)

MAX_RETRIES = 10  # with the backoff below, about four hours of trying
MIN_BACKOFF_MS = 15_000
MAX_BACKOFF_MS = 3_600_000


def build_broker(url: str) -> RedisBroker:
    broker = RedisBroker(url=url)
    for middleware in broker.middleware:
        if isinstance(middleware, Retries):
            middleware.max_retries = MAX_RETRIES
            middleware.min_backoff = MIN_BACKOFF_MS
            middleware.max_backoff = MAX_BACKOFF_MS
    return broker


broker = build_broker(redis_url())
dramatiq.set_broker(broker)
actor = dramatiq.actor


def send(queue_name: str, actor_name: str, *args: Any) -> None:
    """Enqueue a job by its actor's name, for a caller that must not import the actor's module."""
    broker.enqueue(dramatiq.Message(queue_name=queue_name, actor_name=actor_name, args=args, kwargs={},
                                    options={}))
