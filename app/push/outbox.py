"""Push's one entry point for other capabilities: an event written in the event's own transaction.

Areas call ``emit(event_type, payload)`` inside their intake ``apply``: the event row commits or
rolls back with the fact it describes, so no event is missed. After the commit a job named
``process_outbox_event`` (``app.push.events``) fires its rules; the job is sent by name, so the
emitting area depends on this module and push's model only. ``payload`` is
``{"facts": as_payload(facts), "account_ids": [...]}`` (see ``app.push.events``).
"""

from __future__ import annotations

from typing import Any

from app import clock
from app.db import after_commit, session
from app.push.models import OutboxEvent
from app.queue import PUSH, send


def as_payload(facts: dict[str, Any]) -> dict[str, Any]:
    """Facts as JSON for an outbox event (dates ISO; ``events`` reads them back as dates)."""
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in facts.items()}


def emit(event_type: str, payload: dict[str, Any]) -> None:
    """Record an event in the caller's transaction; it fires after the commit."""
    row = OutboxEvent(event_type=event_type, payload=payload, created_at=clock.now())
    session().add(row)
    session().flush()
    event_id = row.id
    after_commit(lambda: send(PUSH, "process_outbox_event", event_id))
