"""Event rules fire through an outbox written in the event's own transaction.

Areas call ``emit(event_type, payload)`` inside their intake ``apply``: the event row commits or
rolls back with the fact it describes, so no event is missed. ``process_event`` claims the row
(``processed_at`` set by one conditional UPDATE) and writes its notifications in the same
transaction, so a replayed job or the periodic sweep never fires it twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from app import clock
from app.db import after_commit, session, transactional
from app.push.models import OutboxEvent
from app.queue import actor

log = logging.getLogger("yss.push")
STUCK_AFTER = timedelta(minutes=2)

# event type → function(payload) that writes the notifications; registered by app.push.events.
_handlers: dict[str, Callable[[dict[str, Any]], int]] = {}


def handles(event_type: str) -> Callable:
    def register(func: Callable[[dict[str, Any]], int]) -> Callable[[dict[str, Any]], int]:
        _handlers[event_type] = func
        return func

    return register


def emit(event_type: str, payload: dict[str, Any]) -> None:
    """Record an event in the caller's transaction; it fires after the commit."""
    row = OutboxEvent(event_type=event_type, payload=payload, created_at=clock.now())
    session().add(row)
    session().flush()
    event_id = row.id
    after_commit(lambda: process_outbox_event.send(event_id))


@actor(queue_name="push", max_retries=5)
def process_outbox_event(event_id: int) -> None:
    process_event(event_id)


@transactional
def process_event(event_id: int) -> int:
    """Fire one event's rules; returns the notifications written (0 if it was already fired)."""
    claimed = session().execute(update(OutboxEvent).where(
        OutboxEvent.id == event_id, OutboxEvent.processed_at.is_(None)).values(processed_at=clock.now()))
    if claimed.rowcount != 1:
        return 0
    row = session().get(OutboxEvent, event_id, populate_existing=True)
    from app.push import events  # noqa: F401  (registers the handlers)

    handler = _handlers.get(row.event_type)
    if handler is None:
        log.warning("no push handler for event", extra={"event_type": row.event_type})
        return 0
    return handler(row.payload)


@actor(queue_name="push", max_retries=3)
def sweep_outbox() -> None:
    for event_id in pending_events():
        process_event(event_id)


def pending_events(limit: int = 1000) -> list[int]:
    before = clock.now() - STUCK_AFTER
    return list(session().scalars(select(OutboxEvent.id).where(
        OutboxEvent.processed_at.is_(None), OutboxEvent.created_at < before).order_by(OutboxEvent.id).limit(limit)))
