"""The job queue: Dramatiq on the Redis broker.

Importing this module sets the broker, so actor modules import ``actor`` from here. Jobs carry
row ids only; the row is written (and committed) before its job is enqueued. Retries are bounded
to hours, not Dramatiq's default of weeks.
"""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import dramatiq
import dramatiq.common
from dramatiq.brokers.redis import RedisBroker
from dramatiq.middleware import Retries

from app.redis_store import redis_url

# Queue names, one constant each (actors name theirs with these; the worker joins them all).
# WeChat deliveries have a queue of their own, so a population scan and a send backlog neither wait for
# each other nor need the same number of workers.
AUDIT, DELIVERY, HALLS, LICENCES, OPENDATA, PUSH, SECURITY, SYSTEM, TICKETS = (
    "audit", "delivery", "halls", "licences", "opendata", "push", "security", "system", "tickets")
QUEUES = (AUDIT, DELIVERY, HALLS, LICENCES, OPENDATA, PUSH, SECURITY, SYSTEM, TICKETS)

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


def send_many(actor_: dramatiq.Actor, arg_lists: list[tuple], delay_ms: int | None = None) -> None:
    """Enqueue one job per argument tuple in one Redis round trip (a pipeline of dramatiq's own
    dispatch script, the same call ``RedisBroker.enqueue`` makes for a single message)."""
    if len(arg_lists) < 2 or not isinstance(broker, RedisBroker):
        for args in arg_lists:
            actor_.send_with_options(args=args, delay=delay_ms)
        return
    pipe = broker.client.pipeline(transaction=False)
    dispatch = broker.scripts["dispatch"]
    maintenance = broker._should_do_maintenance("enqueue")
    unpack = broker._max_unpack_size()
    sent = []
    for args in arg_lists:
        message = actor_.message_with_options(args=args).copy(options={"redis_message_id": str(uuid4())})
        queue_name = message.queue_name
        if delay_ms is not None:
            queue_name = dramatiq.common.dq_name(queue_name)
            message = message.copy(queue_name=queue_name, options={"eta": dramatiq.common.current_millis() + delay_ms})
        broker.emit_before("enqueue", message, delay_ms)
        dispatch(keys=[broker.namespace], client=pipe, args=[
            "enqueue", dramatiq.common.current_millis(), queue_name, broker.broker_id, broker.heartbeat_timeout,
            broker.dead_message_ttl, maintenance, unpack, message.options["redis_message_id"], message.encode()])
        sent.append(message)
    pipe.execute()
    for message in sent:
        broker.emit_after("enqueue", message, delay_ms)
