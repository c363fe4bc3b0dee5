"""Event rules: an outbox event's facts, rendered by each rule for that event, to its recipients.

``process_event`` claims the outbox row (``processed_at`` set by one conditional UPDATE) and writes
its notifications in the same transaction, so a replayed job or the periodic sweep never fires it
twice.

Payload contract (what ``outbox.emit`` callers send): ``{"facts": {"event.id": ..., ...},
"account_ids": [...]}`` — recipients are resolved by the emitter inside its own transaction (the
parents through household links for a birth, or the one parent whose link arrives after it; the
people acting for the entity with ``receive_notifications`` for a licence decision, when it takes
effect), so the event carries who was entitled then.
"""

from __future__ import annotations

import logging
import re
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select, update

from app import clock
from app.db import session, transactional
from app.push.models import OutboxEvent
from app.push.notify import plan, write_notifications
from app.push.rules import EVENTS, rules_for
from app.queue import PUSH, actor

log = logging.getLogger("yss.push")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
STUCK_AFTER = timedelta(minutes=2)


def _facts(raw: dict[str, Any]) -> dict[str, Any]:
    return {k: date.fromisoformat(v) if isinstance(v, str) and _ISO.match(v) else v for k, v in raw.items()}


def fire(event_type: str, payload: dict[str, Any]) -> int:
    facts, account_ids = _facts(payload.get("facts", {})), list(payload.get("account_ids", []))
    planned = [p for rule in rules_for(event_type) for p in plan(rule, facts, account_ids)]
    return len(write_notifications(planned))



@actor(queue_name=PUSH, max_retries=5)
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
    if row.event_type not in EVENTS:
        log.warning("no push handler for event", extra={"event_type": row.event_type})
        return 0
    return fire(row.event_type, row.payload)


@actor(queue_name=PUSH, max_retries=3)
def sweep_outbox() -> None:
    for event_id in pending_events():
        process_event(event_id)


def pending_events(limit: int = 1000) -> list[int]:
    before = clock.now() - STUCK_AFTER
    return list(session().scalars(select(OutboxEvent.id).where(
        OutboxEvent.processed_at.is_(None), OutboxEvent.created_at < before).order_by(OutboxEvent.id).limit(limit)))
